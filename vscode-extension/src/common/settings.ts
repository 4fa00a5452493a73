/** Reads the `perflint` settings of a workspace folder through VS Code, honouring workspace trust. */
import * as os from "os";
import * as vscode from "vscode";
import { effectiveValue, ExtensionSettings, readSettings, restrictedModeNote } from "../logic/settings";
import { logWarning } from "./logging";

export const SECTION = "perflint";

const notedRestrictions = new Set<string>(); // each note once per window, not at every read

export function getSettings(folder: vscode.WorkspaceFolder | undefined): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
  const trusted = vscode.workspace.isTrusted;
  const read = (key: string) => {
    const layers = config.inspect(key) ?? {};
    const note = restrictedModeNote(key, layers, trusted);
    if (note && !notedRestrictions.has(note)) {
      notedRestrictions.add(note);
      logWarning(note);
    }
    return effectiveValue(key, layers, trusted);
  };
  const { settings, problems } = readSettings(read, {
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
