/**
 * The "perflint Hotspots" view: every finding in the workspace in rank order,
 * grouped by level, from `perflint check --format json` run per workspace folder.
 */
import * as vscode from "vscode";
import { checkArgs } from "../logic/commandLines";
import {
  codePointColumnToUtf16,
  Finding,
  findingLocation,
  FunctionScope,
  groupByLevel,
  inScope,
  LevelGroup,
  parseFindings,
  rankFindings,
} from "../logic/findings";
import { formatCommand, run } from "../logic/run";
import { SerialRunner } from "../logic/serialRunner";
import { logError, logInfo } from "./logging";
import { getSettings } from "./settings";

export const VIEW_ID = "perflint.hotspots";
export const OPEN_FINDING_COMMAND = "perflint.openFinding";

type Node = { group: LevelGroup } | { finding: Finding; position: number };

export class HotspotsProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private groups: LevelGroup[] = [];
  private positions = new Map<Finding, number>();
  private loaded = false;
  /** The findings shown may no longer match the files: a refresh could not run. */
  stale = false;
  /** Set by a code lens: only this function's findings are listed. */
  scope: FunctionScope | undefined;
  private ranked: Finding[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refresher = new SerialRunner(() => this.load());

  /**
   * @param python returns the Python that runs perflint, or undefined while the server is not set up.
   * @param cacheDir where the CLI keeps its result cache: the extension's storage, not the user's workspace.
   */
  constructor(
    private readonly module: string,
    private readonly python: () => Promise<string | undefined>,
    private readonly cacheDir: string,
  ) {}

  /** Number of findings shown, or undefined before the first load. */
  get count(): number | undefined {
    return this.loaded ? this.positions.size : undefined;
  }

  /** True once the user asked for hotspots; from then on saves refresh the view. */
  get active(): boolean {
    return this.loaded;
  }

  refresh(): Promise<void> {
    return this.refresher.request();
  }

  /** List only one function's findings (a code lens was clicked), or all of them again. */
  setScope(scope: FunctionScope | undefined): void {
    this.scope = scope;
    this.groups = groupByLevel(inScope(this.ranked, scope));
    this.changed.fire();
  }

  /** Number of findings listed under the current scope. */
  get shown(): number {
    return this.groups.reduce((sum, group) => sum + group.findings.length, 0);
  }

  private async load(): Promise<void> {
    const python = await this.python();
    if (!python) {
      if (this.loaded) {
        // Keep the old rows but say they may be out of date, rather than show old lines as current.
        this.stale = true;
        this.changed.fire();
      } else {
        void vscode.window.showWarningMessage("perflint: the language server is not set up yet; see the perflint output.");
      }
      return;
    }
    const findings: Finding[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const args = checkArgs(this.module, getSettings(folder), folder.uri.fsPath);
      logInfo(`> ${formatCommand(python, args)}`);
      const env = { ...process.env, PERFLINT_CACHE_DIR: this.cacheDir };
      const result = await run(python, args, { cwd: folder.uri.fsPath, env });
      if (result.exitCode !== 0) {
        logError(`perflint check failed with exit code ${result.exitCode}`, result.stderr);
        void vscode.window.showErrorMessage(
          `perflint check failed in ${folder.name}: ${result.stderr.trim().split("\n").pop() ?? "no message"}`,
        );
        return;
      }
      try {
        findings.push(...parseFindings(result.stdout, folder.uri.fsPath));
      } catch (error) {
        logError(`Could not read perflint's JSON output: ${String(error)}`, result.stdout.slice(0, 2000));
        void vscode.window.showErrorMessage(`perflint: could not read the findings (${String(error)})`);
        return;
      }
    }
    const ranked = rankFindings(findings);
    this.positions = new Map(ranked.map((finding, index) => [finding, index + 1]));
    this.ranked = ranked;
    this.groups = groupByLevel(inScope(ranked, this.scope));
    this.loaded = true;
    this.stale = false;
    logInfo(`Hotspots: ${ranked.length} findings`);
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.groups.map((group) => ({ group }));
    if ("group" in node) {
      return node.group.findings.map((finding) => ({ finding, position: this.positions.get(finding) ?? 0 }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ("group" in node) {
      const { level, name, findings } = node.group;
      const item = new vscode.TreeItem(`L${level} ${name}`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `level-${level}`;
      item.description = `${findings.length} ${findings.length === 1 ? "finding" : "findings"}`;
      item.iconPath = new vscode.ThemeIcon(level <= 2 ? "flame" : "info");
      return item;
    }
    const { finding, position } = node;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(finding.path));
    const item = new vscode.TreeItem(`#${position} ${finding.code} ${findingLocation(finding, folder?.uri.fsPath)}`);
    item.id = `finding-${finding.path}:${finding.line}:${finding.column}:${finding.code}`;
    item.description = `${finding.rule}, impact ${finding.impact}`;
    item.tooltip = new vscode.MarkdownString().appendText(
      `#${position} [L${finding.level} ${finding.category}] ${finding.message}` +
        (finding.fixable ? " (fix available)" : ""),
    );
    item.command = { command: OPEN_FINDING_COMMAND, title: "Go to finding", arguments: [finding] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Opens the finding's file and selects its range (perflint counts code points, VS Code UTF-16 units). */
export async function openFinding(finding: Finding): Promise<void> {
  if (finding.cell !== undefined) {
    // A notebook: open it as a notebook (its diagnostics sit in the cell), not as JSON text.
    await vscode.commands.executeCommand("vscode.open", vscode.Uri.file(finding.path));
    return;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(finding.path));
  const position = (line: number, column: number) => {
    const index = Math.min(line - 1, document.lineCount - 1);
    return new vscode.Position(index, codePointColumnToUtf16(document.lineAt(index).text, column));
  };
  const range = new vscode.Range(position(finding.line, finding.column), position(finding.endLine, finding.endColumn));
  await vscode.window.showTextDocument(document, { selection: range });
}
