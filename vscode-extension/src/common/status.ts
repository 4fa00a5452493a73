/** The status bar item: server state and the number of level-1 findings in the active Python file. */
import * as vscode from "vscode";
import { levelOfCode } from "../logic/findings";
import { ServerState, statusView } from "../logic/status";

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("perflint.status", vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private state: ServerState = "stopped";
  private enabled = true;

  constructor(name: string) {
    this.item.name = name;
    this.subscriptions.push(
      vscode.languages.onDidChangeDiagnostics(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  setState(state: ServerState, enabled: boolean): void {
    this.state = state;
    this.enabled = enabled;
    this.render();
  }

  private render(): void {
    const view = statusView(this.state, this.levelOneCount(), this.enabled);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.alarming ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.item.command = view.alarming ? "perflint.showOutput" : "perflint.showHotspots";
  }

  private levelOneCount(): number | undefined {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== "python") return undefined;
    return vscode.languages
      .getDiagnostics(document.uri)
      .filter((diagnostic) => diagnostic.source === "perflint" && levelOfCode(codeText(diagnostic.code)) === 1).length;
  }

  dispose(): void {
    this.item.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function codeText(code: vscode.Diagnostic["code"]): string {
  if (code === undefined) return "";
  return typeof code === "object" ? String(code.value) : String(code);
}
