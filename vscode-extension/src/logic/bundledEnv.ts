/**
 * Decisions about the private environment that the `bundled` import strategy uses:
 * which wheel ships in the extension, where the environment's Python lives, and
 * whether an existing environment can be reused.
 */
import * as path from "path";

/** Written into the environment after a successful install; compared on every start. */
export interface EnvironmentMarker {
  /** File name of the wheel that was installed (it carries the version). */
  wheel: string;
  /** The interpreter that created the environment, as it reported its own path. */
  basePython: string;
}

export const MARKER_FILE = "perflint-extension.json";

/** perflint-0.1.0-py3-none-any.whl -> "0.1.0"; undefined for any other file name. */
export function wheelVersion(fileName: string): string | undefined {
  const match = /^perflint-([^-]+)-[^-]+-[^-]+-[^-]+\.whl$/.exec(fileName);
  return match ? match[1] : undefined;
}

/** The one perflint wheel among `fileNames`; throws when there is none or more than one. */
export function findWheel(fileNames: readonly string[]): string {
  const wheels = fileNames.filter((name) => wheelVersion(name) !== undefined);
  if (wheels.length === 1) return wheels[0];
  if (wheels.length === 0) throw new Error("this build of the extension contains no perflint wheel in bundled/");
  throw new Error(`the extension's bundled/ folder holds several perflint wheels: ${wheels.join(", ")}`);
}

export function parseMarker(text: string | undefined): EnvironmentMarker | undefined {
  if (text === undefined) return undefined;
  try {
    const data = JSON.parse(text) as Partial<EnvironmentMarker>;
    if (typeof data.wheel === "string" && typeof data.basePython === "string") {
      return { wheel: data.wheel, basePython: data.basePython };
    }
  } catch {
    // A damaged marker means an unknown environment: reinstall.
  }
  return undefined;
}

/** Reuse only an environment built from this very wheel by this very interpreter. */
export function needsInstall(marker: EnvironmentMarker | undefined, wanted: EnvironmentMarker): boolean {
  return marker === undefined || marker.wheel !== wanted.wheel || marker.basePython !== wanted.basePython;
}

export function venvPython(envDir: string, platform: NodeJS.Platform): string {
  return platform === "win32" ? path.join(envDir, "Scripts", "python.exe") : path.join(envDir, "bin", "python");
}

/** pip learned `--python <interpreter>` (install into another environment) in 22.3. */
export const PIP_PYTHON_OPTION_SINCE: readonly [number, number] = [22, 3];

/**
 * Whether the pip whose `pip.__version__` is `version` can install into another
 * environment with `--python`; false for an unreadable version.
 */
export function pipCanTargetOtherPython(version: string): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const [wantMajor, wantMinor] = PIP_PYTHON_OPTION_SINCE;
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}
