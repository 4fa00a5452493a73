/**
 * Decisions about the private environment that the `bundled` import strategy uses:
 * which wheel ships in the extension, where the environment's Python lives, and
 * whether an existing environment can be reused.
 */
import * as path from "path";
import { SetupFailure } from "./failures";

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

/**
 * Platform packages (`vsce package --target ...`, built by scripts/package.sh --target) carry
 * the dependency wheels in bundled/wheels/ with bundle.json (written by
 * scripts/platform_wheels.py) naming the target and the CPython versions they cover. The
 * universal package has no such folder and installs the dependencies from the package index.
 */
export const WHEELS_DIR = "wheels";
export const BUNDLE_FILE = "bundle.json";

export interface WheelBundle {
  /** The vsce target the wheels were downloaded for, e.g. "linux-x64". */
  target: string;
  /** CPython versions ("3.12", or "3.14t" for a free-threaded build) whose wheels are all there. */
  pythons: string[];
}

/** Reads bundle.json; undefined when it is missing or not what platform_wheels.py writes. */
export function parseBundle(text: string | undefined): WheelBundle | undefined {
  if (text === undefined) return undefined;
  try {
    const data = JSON.parse(text) as Partial<WheelBundle>;
    if (
      typeof data.target === "string" &&
      Array.isArray(data.pythons) &&
      data.pythons.every((version) => typeof version === "string" && /^\d+\.\d+t?$/.test(version))
    ) {
      return { target: data.target, pythons: data.pythons };
    }
  } catch {
    // A damaged bundle.json: behave like the universal package.
  }
  return undefined;
}

/** One `pip install` to try: `args` follow `pip` (or `pip --python <env>`). */
export interface InstallAttempt {
  /** True when it runs with --no-index from the bundled wheels. */
  offline: boolean;
  args: string[];
  /** Why this attempt, for the output channel. */
  reason: string;
}

const PIP_INSTALL = ["install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off"];

/**
 * The pip installs to try, in order, to install `wheelPath` for a Python of `version`:
 * first from the bundled wheels alone (no package index) when the package carries wheels for
 * that Python, then, should that fail (a free-threaded build, a libc the wheels do not fit), from
 * the package index as the universal package does. Without bundled wheels, the index only.
 */
export function installAttempts(
  wheelPath: string,
  version: readonly number[] | undefined,
  wheelsDir: string | undefined,
  bundle: WheelBundle | undefined,
  freeThreaded = false,
): InstallAttempt[] {
  const online: InstallAttempt = {
    offline: false,
    args: [...PIP_INSTALL, wheelPath],
    reason: "The dependencies come from the package index",
  };
  if (wheelsDir === undefined || bundle === undefined) return [online];
  const wanted = version ? `${version[0]}.${version[1]}${freeThreaded ? "t" : ""}` : "an unknown version";
  const covered = bundle.pythons.join(", ");
  if (!version || !bundle.pythons.includes(wanted)) {
    return [
      {
        ...online,
        reason: `This package's bundled wheels (${bundle.target}) are for CPython ${covered}, not ${wanted}: the dependencies come from the package index`,
      },
    ];
  }
  return [
    {
      offline: true,
      args: [...PIP_INSTALL, "--no-index", "--find-links", wheelsDir, wheelPath],
      reason: `Installing from this package's bundled wheels (${bundle.target}, CPython ${wanted}), without a package index`,
    },
    {
      ...online,
      reason: "The bundled wheels did not install: trying the package index instead",
    },
  ];
}

/**
 * Runs `install` for each attempt in order until one succeeds, and returns that one. A
 * SetupFailure moves on to the next attempt; the last attempt's failure is thrown with the
 * earlier ones' output in its details (the output channel shows both). Any other error (a bug,
 * not pip failing) is thrown at once.
 */
export async function firstThatInstalls(
  attempts: readonly InstallAttempt[],
  install: (attempt: InstallAttempt) => Promise<void>,
): Promise<InstallAttempt> {
  const earlier: string[] = [];
  for (const [index, attempt] of attempts.entries()) {
    try {
      await install(attempt);
      return attempt;
    } catch (error) {
      if (!(error instanceof SetupFailure)) throw error;
      const where = attempt.offline ? "from the bundled wheels" : "from the package index";
      if (index === attempts.length - 1) {
        if (earlier.length === 0) throw error;
        throw new SetupFailure(error.kind, error.subject, [...earlier, `${where}: ${error.details}`].join("\n"));
      }
      earlier.push(`${where}: ${error.details}`);
    }
  }
  throw new Error("no install attempt to run");
}
