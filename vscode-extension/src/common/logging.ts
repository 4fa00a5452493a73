/** The extension's one output channel: its own messages and the language server's log and trace. */
import * as vscode from "vscode";

let channel: vscode.LogOutputChannel | undefined;

export function createLogChannel(name: string): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel(name, { log: true });
  return channel;
}

export function logInfo(message: string): void {
  channel?.info(message);
}

export function logWarning(message: string): void {
  channel?.warn(message);
}

export function logError(message: string, details = ""): void {
  channel?.error(details ? `${message}\n${details.trimEnd()}` : message);
}

/** Streams a child process's output into the log, one line per entry. */
export function logProcessOutput(text: string): void {
  for (const line of text.split(/\r?\n/)) {
    if (line.trim()) channel?.info(`  ${line}`);
  }
}

export function showLog(): void {
  channel?.show(true);
}
