/**
 * Entry point: wires the output channel, status bar, hotspots view and commands,
 * and (re)starts the language server one restart at a time.
 */
import * as path from "path";
import * as vscode from "vscode";
import { LanguageClient, State } from "vscode-languageclient/node";
import { SetupFailure } from "./logic/failures";
import { isFunctionScope } from "./logic/findings";
import { SerialRunner } from "./logic/serialRunner";
import { changeEffect } from "./logic/settings";
import { ServerState } from "./logic/status";
import { installIntoEnvironment } from "./common/bundledEnv";
import { fixAllInActiveEditor } from "./common/fixAll";
import { HotspotsProvider, OPEN_FINDING_COMMAND, openFinding, VIEW_ID } from "./common/hotspots";
import { createLogChannel, logError, logInfo, showLog } from "./common/logging";
import { reportFailure, StepHandlers } from "./common/notifications";
import { onDidChangeSelectedInterpreter } from "./common/python";
import { createClient, resolveBaseInterpreter, resolveServerPython, ServerRun } from "./common/server";
import { getSettings, primaryFolder, SECTION } from "./common/settings";
import { loadServerInfo } from "./common/setup";
import { StatusItem } from "./common/status";

let client: LanguageClient | undefined;
let serverRun: ServerRun | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverInfo = loadServerInfo(context.extension);
  const log = createLogChannel(serverInfo.name);
  const status = new StatusItem(serverInfo.name);
  let serverPython: string | undefined;
  // The last Python that ran perflint: the hotspots view (a CLI run) still works with it
  // while the server is down, for example after a bad perflint.args.
  let lastPython: string | undefined;

  const restarts = new SerialRunner(async () => {
    await stopServer();
    serverPython = undefined;
    const folder = primaryFolder();
    const settings = getSettings(folder);
    status.setState("starting", settings.enable);
    const run = new ServerRun();
    try {
      const base = await resolveBaseInterpreter(settings, folder);
      const python = await resolveServerPython(context, serverInfo, settings, base);
      lastPython = python;
      const gaveUp = (reason: string | undefined) => {
        status.setState("failed", getSettings(folder).enable);
        const failure = new SetupFailure("server-crashed", reason ?? "it exited without a message");
        void reportFailure(failure, nextSteps(failure));
      };
      const started = createClient(serverInfo, python, settings, folder, log, run, gaveUp);
      started.onDidChangeState((event) => {
        if (event.newState === State.Running) run.everRunning = true;
        // Stopped without being asked to: the server failed (red), not stopped (grey).
        const state = event.newState === State.Stopped && !run.stopRequested ? "failed" : stateOf(event.newState);
        status.setState(state, getSettings(folder).enable);
      });
      client = started;
      serverRun = run;
      await started.start();
      // start() can resolve although the server exited during initialize (the client's close
      // handling drops the pending start promise): only a running client counts as started.
      if (!started.isRunning()) throw new Error("the language server exited while starting");
      serverPython = python;
      logInfo("Language server started");
      if (hotspots.active && hotspots.stale) void hotspots.refresh();
    } catch (error) {
      status.setState("failed", settings.enable);
      let failure: SetupFailure;
      if (error instanceof SetupFailure) failure = error;
      else {
        const reason = await run.reason();
        failure = new SetupFailure("server-failed", reason ?? String(error), errorDetails(error));
      }
      run.stopRequested = true; // what follows (the client's clean-up) is not a crash
      run.kill();
      void reportFailure(failure, nextSteps(failure));
    }
  });

  const nextSteps = (failure: SetupFailure): StepHandlers => ({
    openInterpreterSetting: () => vscode.commands.executeCommand("workbench.action.openSettings", "perflint.interpreter"),
    openArgsSetting: () => vscode.commands.executeCommand("workbench.action.openSettings", "perflint.args"),
    showOutput: showLog,
    restart: () => restarts.request(),
    useFromEnvironment: () => setImportStrategy("fromEnvironment"),
    useBundled: () => setImportStrategy("bundled"),
    installIntoEnvironment: async () => {
      try {
        await installIntoEnvironment(context, failure.subject);
        await restarts.request();
      } catch (error) {
        if (error instanceof SetupFailure) void reportFailure(error, nextSteps(error));
        else logError(String(error));
      }
    },
  });

  const cliCache = vscode.Uri.joinPath(context.globalStorageUri, "cli-cache").fsPath;
  const hotspots = new HotspotsProvider(
    serverInfo.module,
    async () => {
      await restarts.settled();
      return serverPython ?? lastPython;
    },
    cliCache,
  );
  const hotspotsView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: hotspots, showCollapseAll: true });
  hotspots.onDidChangeTreeData(() => {
    hotspotsView.message = hotspots.stale
      ? "These findings may be out of date: perflint could not run. They refresh when it can."
      : hotspots.count === 0
        ? "No perflint findings in the workspace."
        : undefined;
    hotspotsView.description = hotspots.scope
      ? `${hotspots.shown} in ${hotspots.scope.function}()`
      : hotspots.count
        ? `${hotspots.count} ranked`
        : undefined;
  });

  context.subscriptions.push(
    log,
    status,
    hotspots,
    hotspotsView,
    vscode.commands.registerCommand("perflint.restart", () => restarts.request()),
    vscode.commands.registerCommand("perflint.fixAll", fixAllInActiveEditor),
    // With an argument (a code lens above a profiled function): only that function's findings.
    vscode.commands.registerCommand("perflint.showHotspots", async (scope?: unknown) => {
      hotspots.setScope(isFunctionScope(scope) ? scope : undefined);
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      await hotspots.refresh();
    }),
    vscode.commands.registerCommand("perflint.refreshHotspots", () => hotspots.refresh()),
    vscode.commands.registerCommand(OPEN_FINDING_COMMAND, openFinding),
    vscode.commands.registerCommand("perflint.showOutput", showLog),
    vscode.workspace.onDidChangeConfiguration((event) => {
      const effect = changeEffect((section) => event.affectsConfiguration(section));
      if (effect === "restart") {
        logInfo("A setting that chooses the server process changed: restarting");
        void restarts.request();
      } else if (effect === "reconfigure") {
        if (event.affectsConfiguration("perflint.profile")) watchProfile();
        // The client forwards the change to the server (synchronize.configurationSection).
        status.setState(client?.isRunning() ? "running" : "stopped", getSettings(primaryFolder()).enable);
        if (hotspots.active) void hotspots.refresh();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restarts.request()),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.languageId === "python" && hotspots.active) void hotspots.refresh();
    }),
    // Files changed outside the editor (git checkout, a formatter, a generator) refresh the
    // view too, a moment after the last change so that a checkout is one refresh.
    ...watchFiles(["**/*.{py,ipynb}", "**/{pyproject.toml,.perflint.yaml}"], () => {
      if (hotspots.active) refreshSoon();
    }),
  );

  // perflint.profile: when the file changes (a new profiling run), the server reads it again
  // (re-ranking and new code lenses) on a configuration change notification.
  let profileWatch: vscode.Disposable[] = [];
  function watchProfile(): void {
    for (const disposable of profileWatch) disposable.dispose();
    profileWatch = [];
    const profile = getSettings(primaryFolder()).profile;
    if (!profile) return;
    const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(profile)), path.basename(profile));
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const changed = () => {
      if (client?.isRunning()) void client.sendNotification("workspace/didChangeConfiguration", { settings: null });
    };
    profileWatch = [watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed)];
  }
  watchProfile();
  context.subscriptions.push({ dispose: () => profileWatch.forEach((disposable) => disposable.dispose()) });

  let refreshTimer: NodeJS.Timeout | undefined;
  function refreshSoon(): void {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void hotspots.refresh(), 700);
  }
  context.subscriptions.push({ dispose: () => refreshTimer && clearTimeout(refreshTimer) });

  void restarts.request();

  const interpreterWatch = await onDidChangeSelectedInterpreter(() => {
    if (!getSettings(primaryFolder()).interpreter) void restarts.request();
  });
  if (interpreterWatch) context.subscriptions.push(interpreterWatch);
}

export async function deactivate(): Promise<void> {
  await stopServer();
}

async function stopServer(): Promise<void> {
  const running = client;
  const run = serverRun;
  client = undefined;
  serverRun = undefined;
  if (run) run.stopRequested = true;
  if (!running) return;
  try {
    if (running.isRunning()) await running.stop();
  } catch (error) {
    logError(`Stopping the language server failed: ${String(error)}`);
  }
  run?.kill(); // a server that did not exit when asked
}

function watchFiles(patterns: string[], onChange: () => void): vscode.Disposable[] {
  return patterns.flatMap((pattern) => {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    return [watcher, watcher.onDidCreate(onChange), watcher.onDidChange(onChange), watcher.onDidDelete(onChange)];
  });
}

function setImportStrategy(value: "bundled" | "fromEnvironment"): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update("importStrategy", value, vscode.ConfigurationTarget.Global);
}

function stateOf(state: State): ServerState {
  switch (state) {
    case State.Starting:
      return "starting";
    case State.Running:
      return "running";
    case State.Stopped:
      return "stopped";
  }
}

function errorDetails(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
