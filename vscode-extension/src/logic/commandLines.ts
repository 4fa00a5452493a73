/** The perflint command lines the extension runs, built from the settings. */
import type { ExtensionSettings } from "./settings";

/** `python -m <module> server <args>`: the language server over stdio. */
export function serverArgs(module: string, settings: Pick<ExtensionSettings, "args">): string[] {
  return ["-m", module, "server", ...settings.args];
}

/**
 * `python -m <module> check --format json --exit-zero ... <folder>`: every finding in a
 * workspace folder, filtered like the editor's diagnostics.
 */
export function checkArgs(
  module: string,
  settings: Pick<ExtensionSettings, "select" | "ignore" | "levels" | "profile">,
  folder: string,
): string[] {
  const args = ["-m", module, "check", "--format", "json", "--exit-zero"];
  if (settings.select.length > 0) args.push("--select", settings.select.join(","));
  if (settings.ignore.length > 0) args.push("--ignore", settings.ignore.join(","));
  if (settings.levels.length > 0) args.push("--levels", settings.levels.join(","));
  if (settings.profile) args.push("--profile", settings.profile);
  args.push(folder);
  return args;
}

/** `python -m <module> --version` prints "perflint X.Y.Z"; anything else is not our perflint. */
export function isPerflintVersionOutput(stdout: string): boolean {
  return /^perflint \d+\.\d+/m.test(stdout.trim());
}
