/**
 * Starting and stopping the language server: which Python runs it (interpreter
 * choice and import strategy), the LanguageClient and what it sends.
 */
import { ChildProcess, spawn } from "child_process";
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from "vscode-languageclient/node";
import { isPerflintVersionOutput, serverArgs } from "../logic/commandLines";
import { SetupFailure } from "../logic/failures";
import { chooseInterpreter, InterpreterFacts } from "../logic/interpreter";
import { formatCommand, run } from "../logic/run";
import { RestartPolicy, StderrTail } from "../logic/serverExit";
import { ExtensionSettings, serverSettings } from "../logic/settings";
import { ensureBundledEnvironment } from "./bundledEnv";
import { logInfo } from "./logging";
import { probeInterpreter, selectedInterpreter } from "./python";
import { getSettings, SECTION } from "./settings";
import { ServerInfo } from "./setup";

/** The interpreter the user chose, probed; a SetupFailure when it is missing or too old. */
export async function resolveBaseInterpreter(
  settings: ExtensionSettings,
  folder: vscode.WorkspaceFolder | undefined,
): Promise<InterpreterFacts> {
  const fromPythonExtension = settings.interpreter ? undefined : await selectedInterpreter(folder?.uri);
  return probeInterpreter(chooseInterpreter(settings.interpreter, fromPythonExtension));
}

/** The Python that runs `-m perflint`: the private environment's (bundled) or the chosen one (fromEnvironment). */
export async function resolveServerPython(
  context: vscode.ExtensionContext,
  serverInfo: ServerInfo,
  settings: ExtensionSettings,
  base: InterpreterFacts,
): Promise<string> {
  if (settings.importStrategy === "bundled") {
    return ensureBundledEnvironment(context, base);
  }
  const args = ["-m", serverInfo.module, "--version"];
  logInfo(`> ${formatCommand(base.executable, args)}`);
  const result = await run(base.executable, args);
  if (result.exitCode !== 0 || !isPerflintVersionOutput(result.stdout)) {
    throw new SetupFailure("not-installed", base.executable, `${result.stdout}${result.stderr}`);
  }
  logInfo(`Using ${result.stdout.trim()} from ${base.executable}`);
  return base.executable;
}

/**
 * One server process as the extension sees it: what it last said on stderr, whether it got
 * running, and a way to end it if it outlives the client.
 */
export class ServerRun {
  readonly tail = new StderrTail();
  everRunning = false;
  stopRequested = false;
  process: ChildProcess | undefined;
  /** Settles when the current process has ended and its stderr is read to the end. */
  exited: Promise<void> = Promise.resolve();

  /** Why the server ended, waiting (briefly) for the rest of its stderr. */
  async reason(): Promise<string | undefined> {
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    return this.tail.reason();
  }

  kill(): void {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) this.process.kill();
  }
}

/**
 * A LanguageClient that leaves failures to the extension: vscode-languageclient shows its own
 * notifications ("couldn't create connection to server", "Pending response rejected since
 * connection got disposed") when a server cannot start; the extension shows one that says why.
 * Everything still goes to the output channel.
 */
class PerflintClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | "force"): void {
    super.error(message, data, false);
  }
}

export function createClient(
  serverInfo: ServerInfo,
  python: string,
  settings: ExtensionSettings,
  folder: vscode.WorkspaceFolder | undefined,
  log: vscode.LogOutputChannel,
  run: ServerRun,
  onGaveUp: (reason: string | undefined) => void,
): LanguageClient {
  const args = serverArgs(serverInfo.module, settings);
  // The process is spawned here rather than by the client so that its stderr can be kept:
  // the client only copies it to the output channel.
  const serverOptions: ServerOptions = async () => {
    run.tail.clear();
    const child = spawn(python, args, {
      cwd: folder?.uri.fsPath,
      env: { ...process.env, PYTHONUNBUFFERED: "1" },
      windowsHide: true,
    });
    run.process = child;
    run.exited = new Promise((resolve) => {
      child.on("close", () => resolve());
      child.on("error", (error) => {
        run.tail.push(`perflint: error: cannot run ${python}: ${error.message}\n`);
        resolve();
      });
    });
    child.stderr.on("data", (chunk: Buffer) => run.tail.push(chunk.toString("utf8")));
    return child;
  };
  const restarts = new RestartPolicy();
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
      // Jupyter notebooks: the server declares notebook sync (LSP 3.17), so the cells of a
      // notebook come as one notebook document and are linted together.
      { scheme: "vscode-notebook", language: "python" },
      { scheme: "vscode-notebook-cell", language: "python" },
    ],
    outputChannel: log,
    traceOutputChannel: log,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // No retry and no toast of the client's own ("Pending response rejected since connection
    // got disposed"): the extension reports a failed start once, with the server's reason.
    initializationFailedHandler: () => false,
    errorHandler: {
      error: (_error, _message, count) => ({
        action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
        handled: true,
      }),
      closed: async () => {
        if (run.stopRequested) return { action: CloseAction.DoNotRestart, handled: true };
        if (restarts.shouldRestart(run.everRunning, Date.now())) {
          logInfo(`The language server stopped (${(await run.reason()) ?? "no message"}); restarting it`);
          return { action: CloseAction.Restart, handled: true };
        }
        // Never running: start() rejects and the extension says why. Crashed too often: say so here.
        if (run.everRunning) onGaveUp(await run.reason());
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
    initializationOptions: { [SECTION]: serverSettings(settings) },
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        // Answer the server's workspace/configuration requests for `perflint` with the
        // validated settings (paths resolved, extension-only keys left out).
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, index) => {
            if (item.section !== SECTION) return answers[index];
            const uri = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            const scope = uri ? vscode.workspace.getWorkspaceFolder(uri) : folder;
            return serverSettings(getSettings(scope ?? folder));
          });
        },
      },
    },
  };
  logInfo(`Starting the language server: ${formatCommand(python, args)}`);
  return new PerflintClient(SECTION, serverInfo.name, serverOptions, clientOptions);
}
