/**
 * The `bundled` import strategy: the perflint wheel shipped in the extension's
 * bundled/ folder, installed on first start into a private virtual environment
 * in the extension's global storage, and reused until the wheel or the base
 * interpreter changes.
 */
import * as fs from "fs/promises";
import * as path from "path";
import * as vscode from "vscode";
import {
  BUNDLE_FILE,
  EnvironmentMarker,
  findWheel,
  firstThatInstalls,
  InstallAttempt,
  installAttempts,
  MARKER_FILE,
  needsInstall,
  parseBundle,
  parseMarker,
  pipCanTargetOtherPython,
  venvPython,
  WheelBundle,
  WHEELS_DIR,
} from "../logic/bundledEnv";
import { SetupFailure } from "../logic/failures";
import { InterpreterFacts, parseProbe, PROBE_SCRIPT } from "../logic/interpreter";
import { formatCommand, run } from "../logic/run";
import { logInfo, logProcessOutput } from "./logging";

/** Absolute path of the wheel inside the installed extension; a SetupFailure when the build has none. */
export async function bundledWheel(context: vscode.ExtensionContext): Promise<string> {
  const folder = context.asAbsolutePath("bundled");
  let names: string[] = [];
  try {
    names = await fs.readdir(folder);
  } catch {
    // No folder at all: reported below like an empty one.
  }
  try {
    return path.join(folder, findWheel(names));
  } catch (error) {
    throw new SetupFailure("no-wheel", folder, String(error));
  }
}

/** The dependency wheels of a platform package (bundled/wheels/), or undefined in the universal package. */
export async function bundledWheels(
  context: vscode.ExtensionContext,
): Promise<{ dir: string; bundle: WheelBundle } | undefined> {
  const dir = context.asAbsolutePath(path.join("bundled", WHEELS_DIR));
  const text = await fs.readFile(path.join(dir, BUNDLE_FILE), "utf8").catch(() => undefined);
  const bundle = parseBundle(text);
  if (text !== undefined && bundle === undefined) logInfo(`Ignoring ${path.join(dir, BUNDLE_FILE)}: not a wheel bundle description`);
  return bundle ? { dir, bundle } : undefined;
}

/** Runs the attempts in order (logging why each) until one installs; see firstThatInstalls. */
function installWithFallback(
  kind: "pip-failed" | "install-failed",
  subject: string,
  python: string,
  pipPrefix: string[],
  attempts: InstallAttempt[],
): Promise<InstallAttempt> {
  return firstThatInstalls(attempts, (attempt) => {
    logInfo(attempt.reason);
    return runStep(kind, subject, python, [...pipPrefix, ...attempt.args]);
  });
}

/** Returns the private environment's Python, creating or refreshing the environment when needed. */
export async function ensureBundledEnvironment(
  context: vscode.ExtensionContext,
  base: InterpreterFacts,
): Promise<string> {
  const wheelPath = await bundledWheel(context);
  const envDir = path.join(context.globalStorageUri.fsPath, "python-env");
  const python = venvPython(envDir, process.platform);
  const wanted: EnvironmentMarker = { wheel: path.basename(wheelPath), basePython: base.executable };
  const marker = parseMarker(await fs.readFile(path.join(envDir, MARKER_FILE), "utf8").catch(() => undefined));
  const pythonExists = await fs.access(python).then(
    () => true,
    () => false,
  );
  if (pythonExists && !needsInstall(marker, wanted)) {
    logInfo(`Using perflint's environment ${envDir} (${wanted.wheel})`);
    return python;
  }

  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: "perflint: setting up its Python environment (first start only)",
      cancellable: false,
    },
    async (progress) => {
      logInfo(`Creating perflint's environment in ${envDir} with ${base.executable}`);
      await fs.rm(envDir, { recursive: true, force: true });
      await fs.mkdir(path.dirname(envDir), { recursive: true });
      progress.report({ message: "creating a virtual environment" });
      // Without pip: seeding pip into the new environment takes longer than the install itself.
      await runStep("venv-failed", base.executable, base.executable, ["-m", "venv", "--without-pip", envDir]);
      const wheels = await bundledWheels(context);
      const attempts = installAttempts(wheelPath, base.version, wheels?.dir, wheels?.bundle, base.freeThreaded);
      progress.report({
        message: `installing ${wanted.wheel} and its dependencies${attempts[0].offline ? " from the extension's own wheels" : ""}`,
      });
      const subject = `pip install ${wanted.wheel}`;
      if (await basePipCanTarget(base.executable)) {
        await installWithFallback("pip-failed", subject, base.executable, ["-m", "pip", "--python", python], attempts);
      } else {
        // ensurepip installs the pip that ships with Python: no network needed.
        await runStep("venv-failed", base.executable, python, ["-m", "ensurepip", "--default-pip"]);
        await installWithFallback("pip-failed", subject, python, ["-m", "pip"], attempts);
      }
      await fs.writeFile(path.join(envDir, MARKER_FILE), JSON.stringify(wanted, null, 2));
      logInfo(`perflint's environment is ready: ${python}`);
    },
  );
  return python;
}

/** Installs the bundled wheel into the user's own environment (the "Install perflint" button). */
export async function installIntoEnvironment(context: vscode.ExtensionContext, python: string): Promise<void> {
  const wheelPath = await bundledWheel(context);
  const wheels = await bundledWheels(context);
  const facts = wheels ? await probe(python) : undefined;
  const attempts = installAttempts(wheelPath, facts?.version, wheels?.dir, wheels?.bundle, facts?.freeThreaded);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `perflint: installing into ${python}` },
    () => installWithFallback("install-failed", python, python, ["-m", "pip"], attempts),
  );
}

/** What the probe says about `python`, or undefined when it cannot say. */
async function probe(python: string): Promise<InterpreterFacts | undefined> {
  try {
    const result = await run(python, ["-I", "-c", PROBE_SCRIPT]);
    return result.exitCode === 0 ? parseProbe(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the base interpreter has a pip that can install into the new environment directly. */
async function basePipCanTarget(basePython: string): Promise<boolean> {
  try {
    const result = await run(basePython, ["-I", "-c", "import pip; print(pip.__version__)"]);
    return result.exitCode === 0 && pipCanTargetOtherPython(result.stdout);
  } catch {
    return false;
  }
}

async function runStep(
  kind: "venv-failed" | "pip-failed" | "install-failed",
  subject: string,
  command: string,
  args: string[],
): Promise<void> {
  logInfo(`> ${formatCommand(command, args)}`);
  let result;
  try {
    result = await run(command, args, { onOutput: logProcessOutput });
  } catch (error) {
    throw new SetupFailure(kind, subject, String(error));
  }
  if (result.exitCode !== 0) {
    throw new SetupFailure(kind, subject, `exit code ${result.exitCode}\n${result.stderr.slice(-4000)}`);
  }
}
