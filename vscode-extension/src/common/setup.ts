/** The server's identity, read from package.json's `serverInfo` (its only definition). */
import * as vscode from "vscode";

export interface ServerInfo {
  /** Display name: output channel, client name, notifications. */
  name: string;
  /** Python module run with `-m`. */
  module: string;
}

export function loadServerInfo(extension: vscode.Extension<unknown>): ServerInfo {
  const info = (extension.packageJSON as { serverInfo?: Partial<ServerInfo> }).serverInfo;
  if (!info?.name || !info.module) {
    throw new Error("package.json lacks serverInfo.name or serverInfo.module");
  }
  return { name: info.name, module: info.module };
}
