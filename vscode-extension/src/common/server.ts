/**
 * Starting and stopping the language server: which Python runs it (interpreter
 * choice and import strategy), the LanguageClient and what it sends.
 */
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { isPerflintVersionOutput, serverArgs } from "../logic/commandLines";
import { SetupFailure } from "../logic/failures";
import { chooseInterpreter, InterpreterFacts } from "../logic/interpreter";
import { formatCommand, run } from "../logic/run";
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

export function createClient(
  serverInfo: ServerInfo,
  python: string,
  settings: ExtensionSettings,
  folder: vscode.WorkspaceFolder | undefined,
  log: vscode.LogOutputChannel,
): LanguageClient {
  const serverOptions: ServerOptions = {
    command: python,
    args: serverArgs(serverInfo.module, settings),
    transport: TransportKind.stdio,
    options: { cwd: folder?.uri.fsPath, env: { ...process.env, PYTHONUNBUFFERED: "1" } },
  };
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
  logInfo(`Starting the language server: ${formatCommand(python, serverArgs(serverInfo.module, settings))}`);
  return new LanguageClient(SECTION, serverInfo.name, serverOptions, clientOptions);
}
