/**
 * Finding the Python interpreter: the Python extension's selection (when that
 * extension is installed; it is optional) and a probe of the chosen interpreter.
 */
import * as vscode from "vscode";
import {
  describeChoice,
  formatVersion,
  InterpreterChoice,
  InterpreterFacts,
  isSupported,
  parseProbe,
  PROBE_SCRIPT,
} from "../logic/interpreter";
import { SetupFailure } from "../logic/failures";
import { run } from "../logic/run";
import { logInfo, logWarning } from "./logging";

const PYTHON_EXTENSION_ID = "ms-python.python";

/** The part of the Python extension's public API (`@vscode/python-extension`) used here. */
interface PythonExtensionApi {
  environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(
      environment: { id: string; path: string } | string,
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
}

async function pythonExtensionApi(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    return api?.environments ? api : undefined;
  } catch (error) {
    logWarning(`The Python extension did not activate: ${String(error)}`);
    return undefined;
  }
}

/** The interpreter selected in the Python extension for `resource`, if that extension is installed. */
export async function selectedInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const api = await pythonExtensionApi();
  if (!api) return undefined;
  try {
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath;
  } catch (error) {
    logWarning(`Could not ask the Python extension for its interpreter: ${String(error)}`);
    return undefined;
  }
}

/** Calls `listener` when the user selects another interpreter in the Python extension. */
export async function onDidChangeSelectedInterpreter(listener: () => void): Promise<vscode.Disposable | undefined> {
  const api = await pythonExtensionApi();
  return api?.environments.onDidChangeActiveEnvironmentPath(() => listener());
}

/** Runs the interpreter once to learn its version and real path; a SetupFailure when unusable. */
export async function probeInterpreter(choice: InterpreterChoice): Promise<InterpreterFacts> {
  const described = describeChoice(choice);
  let result;
  try {
    result = await run(choice.command, ["-I", "-c", PROBE_SCRIPT]);
  } catch (error) {
    throw new SetupFailure("no-interpreter", described, String(error));
  }
  if (result.exitCode !== 0) {
    throw new SetupFailure("no-interpreter", described, `exit code ${result.exitCode}\n${result.stderr}`);
  }
  let facts: InterpreterFacts;
  try {
    facts = parseProbe(result.stdout);
  } catch (error) {
    throw new SetupFailure("no-interpreter", described, `${String(error)}\n${result.stderr}`);
  }
  if (!isSupported(facts.version)) {
    throw new SetupFailure("old-python", `${described} is Python ${formatVersion(facts.version)}`);
  }
  logInfo(`Python ${formatVersion(facts.version)}: ${described}, executable ${facts.executable}`);
  return facts;
}
