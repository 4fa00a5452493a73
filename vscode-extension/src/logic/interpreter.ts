/**
 * Which Python runs perflint, and whether it is new enough.
 *
 * Order: the `perflint.interpreter` setting, else the interpreter selected in the
 * Python extension, else `python3` on PATH. The first one that applies is the
 * choice; a bad choice is reported rather than silently replaced by another.
 */

export type InterpreterSource = "setting" | "python extension" | "PATH";

export interface InterpreterChoice {
  command: string;
  source: InterpreterSource;
}

export const MIN_PYTHON: readonly [number, number] = [3, 10];
export const FALLBACK_COMMAND = "python3";

export function chooseInterpreter(setting: string, fromPythonExtension: string | undefined): InterpreterChoice {
  if (setting) return { command: setting, source: "setting" };
  if (fromPythonExtension) return { command: fromPythonExtension, source: "python extension" };
  return { command: FALLBACK_COMMAND, source: "PATH" };
}

/** Python one-liner run with `-c`; prints what parseProbe reads. */
export const PROBE_SCRIPT =
  "import json, sys, sysconfig; print(json.dumps({'version': list(sys.version_info[:3]), 'executable': sys.executable, " +
  "'freeThreaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED'))}))";

export interface InterpreterFacts {
  version: [number, number, number];
  /** Absolute path of the interpreter binary, as the interpreter itself reports it. */
  executable: string;
  /** A free-threaded build (python3.14t): it needs its own compiled wheels. */
  freeThreaded: boolean;
}

/** Reads PROBE_SCRIPT's output; throws when it is not what the script prints. */
export function parseProbe(stdout: string): InterpreterFacts {
  const lastLine = stdout.trim().split(/\r?\n/).pop() ?? "";
  let data: unknown;
  try {
    data = JSON.parse(lastLine);
  } catch {
    throw new Error(`unexpected output from the interpreter probe: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  const { version, executable, freeThreaded } = (data ?? {}) as {
    version?: unknown;
    executable?: unknown;
    freeThreaded?: unknown;
  };
  if (
    !Array.isArray(version) ||
    version.length !== 3 ||
    !version.every((part) => Number.isInteger(part)) ||
    typeof executable !== "string" ||
    executable === ""
  ) {
    throw new Error(`unexpected output from the interpreter probe: ${JSON.stringify(lastLine.slice(0, 200))}`);
  }
  return { version: version as [number, number, number], executable, freeThreaded: freeThreaded === true };
}

export function isSupported(version: readonly number[], minimum: readonly number[] = MIN_PYTHON): boolean {
  for (let index = 0; index < minimum.length; index++) {
    const part = version[index] ?? 0;
    if (part !== minimum[index]) return part > minimum[index];
  }
  return true;
}

export function formatVersion(version: readonly number[]): string {
  return version.join(".");
}

export function describeChoice(choice: InterpreterChoice): string {
  switch (choice.source) {
    case "setting":
      return `${choice.command} (from the perflint.interpreter setting)`;
    case "python extension":
      return `${choice.command} (selected in the Python extension)`;
    case "PATH":
      return `${choice.command} (found on PATH)`;
  }
}
