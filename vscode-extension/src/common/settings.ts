/** Reads the `perflint` settings of a workspace folder through VS Code, honouring workspace trust. */
import * as os from "os";
import * as vscode from "vscode";
import { effectiveValue, ExtensionSettings, readSettings } from "../logic/settings";
import { logWarning } from "./logging";

export const SECTION = "perflint";

export function getSettings(folder: vscode.WorkspaceFolder | undefined): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
  const trusted = vscode.workspace.isTrusted;
  const { settings, problems } = readSettings((key) => effectiveValue(key, config.inspect(key) ?? {}, trusted), {
    workspaceFolder: folder?.uri.fsPath,
    home: os.homedir(),
  });
  for (const problem of problems) logWarning(problem);
  return settings;
}

/**
 * The folder whose settings choose the server process (one server serves the window):
 * the first workspace folder, or none for a window without a folder.
 */
export function primaryFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}
