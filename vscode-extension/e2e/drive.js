// Drives code-server (the real VS Code workbench) in headless Debian Chromium through playwright-core
// and checks what a user of the perflint extension sees. Called by scripts/e2e.sh; exits 0 only if
// every check passed. Writes screenshots and result.json into --artifacts.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const options = {};
for (let index = 2; index < process.argv.length; index += 2) {
  const name = process.argv[index].replace(/^--/, "").replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
  options[name] = process.argv[index + 1];
}
const expectedRows = JSON.parse(options.expected); // ["PF404 nested.py:4", "PF404 simple.py:3"]
const artifacts = options.artifacts;
const workspace = options.workspace;
const started = Date.now();
const result = { checks: [] };

function note(message) {
  const line = `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`;
  console.log(line);
  result.checks.push(line);
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  note(`ok: ${message}`);
}

/** Waits for `locator`, failing early with the text of any perflint error notification. */
async function waitVisible(page, locator, what, timeout) {
  const deadline = Date.now() + timeout;
  const errors = page.locator(".notifications-toasts .notification-toast:has(.codicon-error)");
  while (Date.now() < deadline) {
    if (await locator.first().isVisible().catch(() => false)) return;
    if ((await errors.count()) > 0) {
      throw new Error(`error notification while waiting for ${what}: ${await errors.first().innerText()}`);
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}`);
}

/**
 * The notification that says `text`: its toast, or, when the workbench has already tucked the
 * toast away (it does under load, with the settings editor in front), its entry in the
 * notification center. Returns the locator and where it was found ("toast" or "center").
 */
async function notice(page, text) {
  const toast = page.locator(`.notifications-toasts .notification-toast:has-text("${text}")`).first();
  try {
    await toast.waitFor({ timeout: 45000 });
    return { found: toast, where: "toast" };
  } catch (error) {
    await runCommand(page, "Notifications: Show Notifications");
    const entry = page.locator(`.notifications-center .notification-list-item:has-text("${text}")`).first();
    await entry.waitFor({ timeout: 15000 });
    note(`the "${text}" notification was in the notification center, its toast already hidden`);
    return { found: entry, where: "center" };
  }
}

async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: 15000 });
  await input.fill(`>${title}`);
  // Click the entry itself: Enter would run whichever entry is highlighted (recently used ones come first).
  const entry = page.locator(`.quick-input-list .monaco-list-row:has-text("${title}")`).first();
  await entry.waitFor({ timeout: 15000 });
  // At its left end: a "Type the name of a command to run." tooltip may cover the row's middle.
  // Under load a click is sometimes lost: try again before giving up.
  for (let attempt = 1; ; attempt++) {
    await entry.click({ position: { x: 8, y: 8 } });
    try {
      await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 7000 });
      return;
    } catch (error) {
      if (attempt >= 3 || !(await entry.isVisible())) throw error;
    }
  }
}

async function openFromExplorer(page, name) {
  await page.locator(".explorer-folders-view").getByText(name, { exact: true }).click();
  await page.locator(`.tab.active:has-text("${name}")`).waitFor({ timeout: 30000 });
}

/** Text of the visible editor's lines (Monaco renders spaces as U+00A0). */
async function editorText(page) {
  const lines = await page.locator(".editor-group-container.active .monaco-editor .view-line").evaluateAll((nodes) =>
    nodes
      .map((node) => ({ top: parseFloat(node.style.top) || 0, text: node.textContent }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\u00a0/g, " ")),
  );
  return lines.join("\n");
}

async function waitEditorWithout(page, fragment, what) {
  const deadline = Date.now() + 30000;
  while ((await editorText(page)).includes(fragment)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(200);
  }
}

/** Rows of the hotspots tree in screen order, as their text. */
async function hotspotRows(page) {
  const pane = page.locator('.pane:has(.pane-header:has-text("perflint Hotspots"))');
  return pane.locator(".monaco-list-row").evaluateAll((rows) =>
    rows
      .map((row) => ({ top: parseFloat(row.style.top) || 0, text: row.textContent.replace(/\s+/g, " ").trim() }))
      .sort((a, b) => a.top - b.top)
      .map((row) => row.text),
  );
}

async function waitRows(page, predicate, what) {
  const deadline = Date.now() + 60000;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await hotspotRows(page);
    if (predicate(rows)) return rows;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}; hotspots view shows ${JSON.stringify(rows)}`);
}

/** Does `row` show the finding at position `rank` described as "CODE file:line"? */
function showsFinding(row, rank, expected) {
  const [code, location] = expected.split(" ");
  return row.startsWith(`#${rank} ${code}`) && row.includes(location);
}

async function openQuickFix(page, title) {
  const entry = page.locator(`.action-widget :text("${title}")`).first();
  for (let attempt = 1; attempt <= 4; attempt++) {
    if (attempt < 4) await page.keyboard.press("Control+.");
    else await page.locator(".lightBulbWidget, .codicon-light-bulb, .codicon-lightbulb-autofix").first().click();
    try {
      await entry.waitFor({ timeout: 8000 });
      return entry;
    } catch {
      note(`quick fix menu did not open (attempt ${attempt})`);
      await page.keyboard.press("Escape");
    }
  }
  throw new Error(`the quick fix "${title}" never showed`);
}

async function main(page) {
  await page.goto(options.url);
  await page.locator(".monaco-workbench").waitFor({ timeout: 120000 });
  note("workbench loaded");
  await page.locator(".explorer-folders-view").getByText("simple.py", { exact: true }).waitFor({ timeout: 60000 });
  await openFromExplorer(page, "simple.py");
  note("simple.py open");

  // 1. The diagnostic in the Problems panel, with its code and level. The first start creates the
  //    extension's private environment (venv + pip install of the bundled wheel), so allow time.
  await page.keyboard.press("Control+Shift+M");
  const problem = page.locator('.markers-panel .monaco-list-row:has-text("PF404")');
  await waitVisible(page, problem, "the PF404 diagnostic in the Problems panel", 240000);
  result.problem = (await problem.first().textContent()).replace(/\s+/g, " ");
  check(result.problem.includes("[L4 io]"), `Problems panel row names the level: ${result.problem}`);
  check(/perflint\s*\(?PF404/.test(result.problem), "Problems panel row shows source perflint and code PF404");
  check(result.problem.includes("Ln 3, Col 21"), "diagnostic sits at line 3, column 21");

  const statusItem = page.locator('.statusbar-item:has-text("perflint")').first();
  await waitVisible(page, page.locator('.statusbar-item:has-text("L1: 0")'), "the status bar level-1 count", 30000);
  result.status = (await statusItem.textContent()).trim();
  note(`status bar: ${result.status}`);

  // 2. The hotspots view lists every finding in rank order, grouped by level.
  await runCommand(page, "perflint: Show ranked hotspots");
  const rows = await waitRows(page, (current) => current.length === expectedRows.length + 1, "the ranked findings");
  result.hotspots = rows;
  check(rows[0].startsWith("L4 io"), `first row is the level group: ${rows[0]}`);
  expectedRows.forEach((expected, index) =>
    check(showsFinding(rows[index + 1], index + 1, expected), `row ${index + 2} is #${index + 1} ${expected}: ${rows[index + 1]}`),
  );
  await page.screenshot({ path: path.join(artifacts, "1-problems-and-hotspots.png") });
  check(
    !fs.existsSync(path.join(workspace, ".perflint_cache")),
    "the hotspots run keeps its CLI cache in the extension's storage, not in the workspace",
  );

  // 3. The quick fix rewrites the line.
  await page.locator(".editor-group-container.active .monaco-editor .view-line").nth(2).click();
  await page.keyboard.press("Control+G");
  await page.locator(".quick-input-widget input").waitFor({ timeout: 15000 });
  await page.keyboard.type("3:24");
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 15000 });
  const fix = await openQuickFix(page, "Iterate the file object directly");
  result.quickFixMenu = (await page.locator(".action-widget").first().innerText()).split("\n");
  await page.screenshot({ path: path.join(artifacts, "2-quick-fix.png") });
  await fix.click();
  await waitEditorWithout(page, "readlines", "the quick fix to change the text");
  result.fixedText = await editorText(page);
  check(result.fixedText.includes("for line in f:"), "quick fix left `for line in f:`");
  await problem.first().waitFor({ state: "detached", timeout: 60000 });
  note("the PF404 problem left the Problems panel");

  // 4. Saving refreshes the hotspots view: simple.py's finding is gone, nested.py's remains.
  await page.keyboard.press("Control+S");
  const afterSave = await waitRows(page, (current) => current.length === 2, "the hotspots view to refresh on save");
  check(showsFinding(afterSave[1], 1, expectedRows[0]), `after save only #1 ${expectedRows[0]} remains: ${afterSave[1]}`);
  check(!fs.readFileSync(path.join(workspace, "simple.py"), "utf8").includes("readlines"), "simple.py saved fixed");

  // 5. A hotspot row opens its file; "Fix all in file" applies source.fixAll.perflint.
  await page.locator('.pane:has(.pane-header:has-text("perflint Hotspots")) .monaco-list-row:has-text("#1")').click();
  await page.locator('.tab.active:has-text("nested.py")').waitFor({ timeout: 30000 });
  note("clicking the hotspot opened nested.py");
  await runCommand(page, "perflint: Fix all in file");
  await waitEditorWithout(page, "readlines", "Fix all in file to change nested.py");
  await page.keyboard.press("Control+S");
  await waitVisible(
    page,
    page.locator('.pane:has(.pane-header:has-text("perflint Hotspots")) :text("No perflint findings")'),
    "the empty hotspots view",
    60000,
  );
  check(!fs.readFileSync(path.join(workspace, "nested.py"), "utf8").includes("readlines"), "nested.py saved fixed");
  await page.screenshot({ path: path.join(artifacts, "3-all-fixed.png") });

  // 5b. A file changed outside the editor (as by git checkout) refreshes the hotspots view.
  fs.writeFileSync(
    path.join(workspace, "outside.py"),
    "def load(path):\n    with open(path) as f:\n        for line in f.readlines():\n            print(line)\n",
  );
  const outside = await waitRows(page, (current) => current.length === 2, "the hotspots view to refresh after an outside change");
  check(outside[1].includes("PF404") && outside[1].includes("outside.py:3"), `the new file's finding is listed: ${outside[1]}`);
  fs.writeFileSync(path.join(workspace, "outside.py"), "def load(path):\n    return open(path).read()\n");
  await waitVisible(
    page,
    page.locator('.pane:has(.pane-header:has-text("perflint Hotspots")) :text("No perflint findings")'),
    "the hotspots view to drop the finding fixed outside the editor",
    60000,
  );
  note("an outside edit refreshed the hotspots view both ways");

  // 6. "Restart server" starts a new server that reuses the private environment built on first start.
  await runCommand(page, "perflint: Restart server");
  await waitForLog(page, "Language server started", 2, "the restart command to start a second server");
  check(count(extensionLog(), "Creating perflint's environment") === 1, "the environment was created once");
  check(count(extensionLog(), "Using perflint's environment") === 1, "the restart reused the environment");
  if (options.offline === "1") {
    // A platform package in a session without a package index: first start used the bundled wheels.
    const log = extensionLog();
    result.firstStart = log.split(/\r?\n/).find((line) => line.includes("without a package index")) ?? "";
    check(result.firstStart !== "", `first start installed from the package's own wheels: ${result.firstStart}`);
    check(!log.includes("trying the package index"), "first start never fell back to the package index");
    check(log.includes("--no-index --find-links"), "pip ran with --no-index --find-links <bundled wheels>");
  }

  // 7. Changing perflint.interpreter restarts the server; an interpreter that cannot run is a
  //    notification with a next step, and the status bar turns into an error.
  await changeUserSettings(page, { "perflint.interpreter": "/nonexistent/bin/python3" });
  const failure = (await notice(page, "could not be run")).found;
  result.failureNotice = (await failure.innerText()).replace(/\s+/g, " ");
  check(result.failureNotice.includes("/nonexistent/bin/python3"), `notification names the interpreter: ${result.failureNotice}`);
  check(result.failureNotice.includes("Set interpreter"), "notification offers to set the interpreter");
  await page.locator('.statusbar-item:has(.codicon-error):has-text("perflint")').first().waitFor({ timeout: 15000 });
  note("status bar shows the failed server");
  await page.waitForTimeout(600); // let the notification finish sliding in, for a readable screenshot
  await page.screenshot({ path: path.join(artifacts, "4-bad-interpreter.png") });
  await dismissNotifications(page);

  // 8. fromEnvironment with a Python that lacks perflint: a notification offers to install it.
  await changeUserSettings(page, { "perflint.interpreter": options.barePython, "perflint.importStrategy": "fromEnvironment" });
  const missing = (await notice(page, "is not installed in")).found;
  result.notInstalledNotice = (await missing.innerText()).replace(/\s+/g, " ");
  check(result.notInstalledNotice.includes("Install perflint"), `notification offers to install perflint: ${result.notInstalledNotice}`);
  await dismissNotifications(page);

  // 9. fromEnvironment with the project's Python, which has perflint: the server runs from there.
  await changeUserSettings(page, { "perflint.interpreter": options.python });
  await waitForLog(page, "Language server started", 3, "a server started from the chosen environment");
  check(extensionLog().includes(`Starting the language server: ${options.python} -m perflint server`),
    "the server runs from the chosen environment");
  await page.locator('.statusbar-item:has-text("perflint L1: 0")').first().waitFor({ timeout: 30000 });
  note("status bar is back to running");

  // 10. A perflint.args value the server rejects: one notification that says why, the failed
  //     (red) state, and no crash loop; a valid value starts the server again.
  const startsBefore = count(extensionLog(), "Starting the language server");
  await changeUserSettings(page, { "perflint.args": ["--fast"] });
  const badArgs = await notice(page, "could not start");
  result.badArgsNotice = (await badArgs.found.innerText()).replace(/\s+/g, " ");
  check(result.badArgsNotice.includes("unrecognized arguments: --fast"), `the notification says why: ${result.badArgsNotice}`);
  await page.locator('.statusbar-item:has(.codicon-error):has-text("perflint")').first().waitFor({ timeout: 15000 });
  note("status bar shows the failed server");
  await page.waitForTimeout(5000); // a crash loop would start the server again and stack notifications
  await page.screenshot({ path: path.join(artifacts, "5-bad-args.png") });
  const shown = badArgs.where === "toast" ? ".notifications-toasts .notification-toast" : ".notifications-center .notification-list-item";
  const toasts = await page.locator(shown).allInnerTexts();
  result.toastsAfterBadArgs = toasts.map((text) => text.replace(/\s+/g, " "));
  check(toasts.length === 1, `one notification, not a stack: ${JSON.stringify(result.toastsAfterBadArgs)}`);
  check(count(extensionLog(), "Starting the language server") === startsBefore + 1, "the server was started once, not restarted");
  check(await page.locator('.statusbar-item:has(.codicon-error):has-text("perflint")').count() > 0, "still the failed state");
  await dismissNotifications(page);
  await changeUserSettings(page, { "perflint.args": ["--log-level", "info"] });
  await waitForLog(page, "Language server started", 4, "a server started with valid arguments");
  await page.locator('.statusbar-item:has-text("perflint L1: 0")').first().waitFor({ timeout: 30000 });
  note("valid perflint.args: the server runs again");

  // 11. A Jupyter notebook: the planted finding is a diagnostic of its cell (notebook sync).
  const cells = [
    { cell_type: "markdown", metadata: {}, source: ["# Read a file"] },
    { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: ["import os\n"] },
    {
      cell_type: "code", execution_count: null, metadata: {}, outputs: [],
      source: ["def load(path):\n", "    with open(path) as f:\n", "        for line in f.readlines():\n", "            print(line)\n"],
    },
  ];
  const notebook = {
    cells,
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" }, language_info: { name: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(path.join(workspace, "analysis.ipynb"), JSON.stringify(notebook, null, 1) + "\n");
  await page.locator(".explorer-folders-view").getByText("analysis.ipynb", { exact: true }).click();
  await page.locator('.tab.active:has-text("analysis.ipynb")').waitFor({ timeout: 60000 });
  if (!(await page.locator(".markers-panel").first().isVisible())) await page.keyboard.press("Control+Shift+M");
  // Every .py file is fixed by now: a PF404 problem can only come from the notebook's cell.
  const notebookProblem = page.locator('.markers-panel .monaco-list-row:has-text("PF404")');
  await notebookProblem.first().waitFor({ timeout: 60000 });
  result.notebookProblems = (await page.locator(".markers-panel").innerText()).replace(/\s+/g, " ");
  note(`problems with the notebook open: ${result.notebookProblems}`);
  check(/\[Ln 3, Col 21\]/.test(result.notebookProblems), "at line 3, column 21 of its cell");
  await page.screenshot({ path: path.join(artifacts, "6-notebook.png") });
}

async function dismissNotifications(page) {
  await runCommand(page, "Notifications: Clear All Notifications");
}

/**
 * Edits the user settings.json through the workbench (a file written from outside is not
 * always noticed): reads the current JSON from disk, merges `changes`, types it back, saves.
 */
async function changeUserSettings(page, changes) {
  const settingsFile = options.settings;
  let current;
  for (let attempt = 0; current === undefined; attempt++) {
    try {
      current = JSON.parse(fs.readFileSync(settingsFile, "utf8"));
    } catch (error) {
      if (attempt > 40) throw error; // VS Code may be rewriting the file this very moment
      await page.waitForTimeout(250);
    }
  }
  await runCommand(page, "Preferences: Open User Settings (JSON)");
  const editor = page.locator('.monaco-editor .view-lines:has-text("perflint.interpreter")').first();
  await editor.waitFor({ timeout: 30000 });
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // One line: Monaco auto-indents typed newlines and would add closing brackets.
  await page.keyboard.insertText(JSON.stringify({ ...current, ...changes }));
  await page.keyboard.press("Control+S");
  const deadline = Date.now() + 30000;
  const saved = () => readJson(settingsFile);
  while (!Object.entries(changes).every(([key, value]) => JSON.stringify(saved()?.[key]) === JSON.stringify(value))) {
    if (Date.now() > deadline) throw new Error("settings.json was not saved");
    await page.waitForTimeout(250);
  }
  // Close the settings editor (a modal overlay in this VS Code version) so later keys reach the workbench.
  for (let attempt = 0; attempt < 5 && (await editor.isVisible()); attempt++) {
    await page.keyboard.press("Escape");
    await page.waitForTimeout(300);
  }
  note(`user settings changed: ${JSON.stringify(changes)}`);
}

/** The extension's output channel, as VS Code writes it to the log folder. */
function extensionLog() {
  const logs = options.logs;
  let text = "";
  for (const session of fs.existsSync(logs) ? fs.readdirSync(logs) : []) {
    for (const host of fs.readdirSync(path.join(logs, session)).filter((name) => name.startsWith("exthost"))) {
      const folder = path.join(logs, session, host, "perflint.perflint");
      if (!fs.existsSync(folder)) continue;
      for (const file of fs.readdirSync(folder)) text += fs.readFileSync(path.join(folder, file), "utf8");
    }
  }
  return text;
}

/** Waits until the extension's log holds `fragment` at least `times` times. */
async function waitForLog(page, fragment, times, what) {
  const deadline = Date.now() + 60000;
  while (count(extensionLog(), fragment) < times) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; extension log:\n${extensionLog()}`);
    await page.waitForTimeout(250);
  }
}

function count(text, fragment) {
  return text.split(fragment).length - 1;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on("pageerror", (error) => note(`page error: ${error.message}`));
  try {
    await main(page);
    result.ok = true;
  } catch (error) {
    result.ok = false;
    result.error = String(error && error.stack ? error.stack : error);
    note(`FAILED: ${error}`);
    result.notifications = await page.locator(".notifications-toasts").innerText().catch(() => "");
    await page.screenshot({ path: path.join(artifacts, "failure.png") }).catch(() => undefined);
  }
  fs.writeFileSync(path.join(artifacts, "result.json"), JSON.stringify(result, null, 2));
  await browser.close();
  process.exit(result.ok ? 0 : 1);
})();
