/** "perflint: Fix all in file": applies the server's `source.fixAll.perflint` code action. */
import * as vscode from "vscode";

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("perflint");

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
    )) ?? [];
  const fixAll = actions.find((action) => action.kind && FIX_ALL_KIND.contains(action.kind));
  if (!fixAll || (!fixAll.edit && !fixAll.command)) {
    void vscode.window.showInformationMessage("perflint: nothing to fix in this file.");
    return;
  }
  if (fixAll.edit) await vscode.workspace.applyEdit(fixAll.edit);
  if (fixAll.command) {
    await vscode.commands.executeCommand(fixAll.command.command, ...(fixAll.command.arguments ?? []));
  }
}
