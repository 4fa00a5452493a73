/** "perflint: Fix all in file": applies the server's `source.fixAll.perflint` code action. */
import * as vscode from "vscode";
import { logInfo } from "./logging";

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("perflint");

const RESOLVE_AT_MOST = 5;

export async function fixAllInActiveEditor(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "python") {
    void vscode.window.showInformationMessage("perflint: open a Python file to fix.");
    return;
  }
  const document = editor.document;
  const wholeFile = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      document.uri,
      wholeFile,
      FIX_ALL_KIND.value,
      // The server may leave the edit to codeAction/resolve; ask VS Code to resolve the action.
      RESOLVE_AT_MOST,
    )) ?? [];
  logInfo(`Fix all: ${actions.length} code actions of kind ${FIX_ALL_KIND.value} for ${document.uri.fsPath}`);
  const fixAll = actions.find((action) => action.kind && FIX_ALL_KIND.contains(action.kind));
  if (!fixAll || (!fixAll.edit && !fixAll.command)) {
    void vscode.window.showInformationMessage("perflint: nothing to fix in this file.");
    return;
  }
  if (fixAll.edit && !(await vscode.workspace.applyEdit(fixAll.edit))) {
    void vscode.window.showWarningMessage("perflint: the file changed while fixing; run Fix all again.");
    return;
  }
  if (fixAll.command) {
    await vscode.commands.executeCommand(fixAll.command.command, ...(fixAll.command.arguments ?? []));
  }
}
