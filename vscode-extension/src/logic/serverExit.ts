/**
 * Why the language server process ended, and whether to start it again.
 *
 * The server's stderr is kept (its last lines) so that a server that cannot start is
 * reported in one notification that says why ("unrecognized arguments: --foo; usage:
 * ..."), instead of the language client's generic messages.
 */

const KEPT_LINES = 40;

/** The last lines a process wrote to stderr. */
export class StderrTail {
  private lines: string[] = [];
  private partial = "";

  push(text: string): void {
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    this.lines.push(...parts.filter((line) => line.trim() !== ""));
    if (this.lines.length > KEPT_LINES) this.lines = this.lines.slice(-KEPT_LINES);
  }

  /** The one line that says why the process failed, or undefined when it said nothing. */
  reason(): string | undefined {
    const lines = this.partial.trim() ? [...this.lines, this.partial] : this.lines;
    if (lines.length === 0) return undefined;
    // perflint's own one-line errors: "perflint: error: <reason>"
    for (let index = lines.length - 1; index >= 0; index--) {
      const match = /^perflint: error: (.*)$/.exec(lines[index].trim());
      if (match) return match[1].replace(/ \(see 'perflint --help'\)$/, "");
    }
    // A Python traceback ends with "SomeError: message"; anything else: the last line.
    return lines[lines.length - 1].trim();
  }

  clear(): void {
    this.lines = [];
    this.partial = "";
  }
}

/**
 * After the server ran and then stopped unexpectedly: restart it, at most `limit` times
 * in `windowMs` (as vscode-languageclient's default does), then give up and say so.
 * A server that never got running is never restarted: the same command would fail again.
 */
export class RestartPolicy {
  private times: number[] = [];

  constructor(
    private readonly limit = 4,
    private readonly windowMs = 3 * 60 * 1000,
  ) {}

  shouldRestart(everRunning: boolean, now: number): boolean {
    if (!everRunning) return false;
    this.times = this.times.filter((time) => now - time < this.windowMs);
    if (this.times.length >= this.limit) return false;
    this.times.push(now);
    return true;
  }
}
