/** What the status bar item says: the server's state and the level-1 findings in the open file. */

export type ServerState = "starting" | "running" | "stopped" | "failed";

export interface StatusView {
  text: string;
  tooltip: string;
  /** True when the item should stand out (the server is not working). */
  alarming: boolean;
}

/**
 * `levelOneCount` is undefined when no Python file is active.
 * Texts use VS Code's `$(icon)` syntax.
 */
export function statusView(state: ServerState, levelOneCount: number | undefined, enabled: boolean): StatusView {
  switch (state) {
    case "starting":
      return { text: "$(sync~spin) perflint", tooltip: "perflint: starting the language server", alarming: false };
    case "failed":
      return {
        text: "$(error) perflint",
        tooltip: "perflint: the language server is not running. Click for the log.",
        alarming: true,
      };
    case "stopped":
      return { text: "$(circle-slash) perflint", tooltip: "perflint: the language server is stopped", alarming: false };
    case "running": {
      if (!enabled) {
        return { text: "$(circle-slash) perflint", tooltip: "perflint: disabled (perflint.enable is off)", alarming: false };
      }
      if (levelOneCount === undefined) {
        return { text: "$(check) perflint", tooltip: "perflint: running", alarming: false };
      }
      const plural = levelOneCount === 1 ? "finding" : "findings";
      return {
        text: levelOneCount > 0 ? `$(flame) perflint L1: ${levelOneCount}` : "$(check) perflint L1: 0",
        tooltip: `perflint: running. ${levelOneCount} level-1 (algorithm) ${plural} in this file. Click for ranked hotspots.`,
        alarming: false,
      };
    }
  }
}
