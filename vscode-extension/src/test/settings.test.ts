import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  changeEffect,
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_SEVERITY,
  effectiveValue,
  readSettings,
  RECONFIGURE_KEYS,
  resolveCommand,
  resolvePath,
  RESTART_KEYS,
  restrictedModeNote,
  serverSettings,
  WORKSPACE_RESTRICTED_KEYS,
} from "../logic/settings";

const where = { workspaceFolder: "/work/project", home: "/home/ada" };
const reader = (values: Record<string, unknown>) => (key: string) => values[key];

describe("readSettings", () => {
  it("gives the documented defaults when nothing is set", () => {
    const { settings, problems } = readSettings(reader({}), where);
    assert.deepEqual(settings, {
      enable: true,
      select: [],
      extendSelect: [],
      ignore: [],
      levels: [],
      severity: DEFAULT_SEVERITY,
      showSyntaxErrors: true,
      exclude: [],
      configuration: "",
      profile: "",
      debounce: DEFAULT_DEBOUNCE_MS,
      interpreter: "",
      importStrategy: "bundled",
      args: [],
    });
    assert.deepEqual(problems, []);
  });

  it("keeps valid values and resolves paths against the workspace folder", () => {
    const { settings, problems } = readSettings(
      reader({
        enable: false,
        select: ["PF1", "PF404"],
        ignore: ["PF203"],
        levels: [4, 1, 4],
        severity: { "1": "error", "4": "hint" },
        profile: "${workspaceFolder}/out/run.pstats",
        debounce: 0,
        interpreter: ".venv/bin/python",
        importStrategy: "fromEnvironment",
        args: ["--log-level", "debug"],
      }),
      where,
    );
    assert.deepEqual(problems, []);
    assert.equal(settings.enable, false);
    assert.deepEqual(settings.levels, [1, 4]);
    assert.deepEqual(settings.severity, { ...DEFAULT_SEVERITY, "1": "error", "4": "hint" });
    assert.equal(settings.profile, "/work/project/out/run.pstats");
    assert.equal(settings.debounce, 0);
    assert.equal(settings.interpreter, "/work/project/.venv/bin/python");
    assert.equal(settings.importStrategy, "fromEnvironment");
    assert.deepEqual(settings.args, ["--log-level", "debug"]);
  });

  it("replaces unusable values by defaults and says why", () => {
    const { settings, problems } = readSettings(
      reader({
        enable: "yes",
        select: "PF1",
        levels: [0, 9],
        severity: { "1": "fatal", "7": "error" },
        importStrategy: "useBundled",
        debounce: -5,
      }),
      where,
    );
    assert.equal(settings.enable, true);
    assert.deepEqual(settings.select, []);
    assert.deepEqual(settings.levels, []);
    assert.deepEqual(settings.severity, DEFAULT_SEVERITY);
    assert.equal(settings.importStrategy, "bundled");
    assert.equal(settings.debounce, DEFAULT_DEBOUNCE_MS);
    assert.equal(problems.length, 7, problems.join("\n"));
    assert.ok(problems.some((problem) => problem.includes("perflint.importStrategy")));
    assert.ok(problems.some((problem) => problem.includes('"7" is not a level')));
  });
});

describe("paths", () => {
  it("expands ~ and leaves absolute paths alone", () => {
    assert.equal(resolvePath("~/profiles/a.pstats", where), "/home/ada/profiles/a.pstats");
    assert.equal(resolvePath("/opt/py/bin/python3", where), "/opt/py/bin/python3");
  });

  it("keeps a bare command name for PATH lookup", () => {
    assert.equal(resolveCommand("python3.12", where), "python3.12");
    assert.equal(resolveCommand("bin/python", where), "/work/project/bin/python");
  });

  it("leaves a relative path relative without a workspace folder", () => {
    assert.equal(resolvePath("a.pstats", { workspaceFolder: undefined, home: "/h" }), "a.pstats");
  });
});

describe("serverSettings", () => {
  it("sends only the server's keys, with no profile as null", () => {
    const { settings } = readSettings(reader({ interpreter: "/usr/bin/python3", args: ["-v"] }), where);
    assert.deepEqual(serverSettings(settings), {
      enable: true,
      select: [],
      extendSelect: [],
      ignore: [],
      levels: [],
      severity: DEFAULT_SEVERITY,
      showSyntaxErrors: true,
      exclude: [],
      configuration: null,
      profile: null,
      debounce: DEFAULT_DEBOUNCE_MS,
    });
  });

  it("sends the ruff-like settings: extendSelect, showSyntaxErrors, exclude, configuration (resolved)", () => {
    const { settings, problems } = readSettings(
      reader({
        extendSelect: ["PF206"],
        showSyntaxErrors: false,
        exclude: ["migrations/**"],
        configuration: "${workspaceFolder}/tools/perflint.yaml",
      }),
      where,
    );
    assert.deepEqual(problems, []);
    const sent = serverSettings(settings);
    assert.deepEqual(sent.extendSelect, ["PF206"]);
    assert.equal(sent.showSyntaxErrors, false);
    assert.deepEqual(sent.exclude, ["migrations/**"]);
    assert.equal(sent.configuration, `${where.workspaceFolder}/tools/perflint.yaml`);
  });

  it("reports a showSyntaxErrors that is not a boolean and keeps the default", () => {
    const { settings, problems } = readSettings(reader({ showSyntaxErrors: "no" }), where);
    assert.equal(settings.showSyntaxErrors, true);
    assert.deepEqual(problems, ["perflint.showSyntaxErrors must be true or false; using true"]);
  });
});

describe("changeEffect", () => {
  const touching = (...keys: string[]) => (section: string) => keys.includes(section);
  it("restarts for settings that choose the process", () => {
    assert.equal(changeEffect(touching("perflint.interpreter")), "restart");
    assert.equal(changeEffect(touching("perflint.args", "perflint.select")), "restart");
  });
  it("reconfigures for settings the server reads", () => {
    assert.equal(changeEffect(touching("perflint.severity")), "reconfigure");
    assert.equal(changeEffect(touching("perflint.enable")), "reconfigure");
    assert.equal(changeEffect(touching("perflint.debounce")), "reconfigure");
  });
  it("ignores other sections", () => {
    assert.equal(changeEffect(touching("python.defaultInterpreterPath", "perflint.trace.server")), "none");
  });
});

describe("workspace trust", () => {
  const layers = { defaultValue: "", globalValue: "/usr/bin/python3", workspaceValue: "./evil/python" };
  it("ignores the workspace's interpreter in an untrusted workspace", () => {
    assert.equal(effectiveValue("interpreter", layers, false), "/usr/bin/python3");
    assert.equal(effectiveValue("interpreter", { defaultValue: "" , workspaceValue: "x" }, false), "");
  });
  it("uses it once the workspace is trusted", () => {
    assert.equal(effectiveValue("interpreter", layers, true), "./evil/python");
  });
  it("keeps workspace values of harmless settings either way", () => {
    assert.deepEqual(effectiveValue("select", { defaultValue: [], workspaceValue: ["PF1"] }, false), ["PF1"]);
  });
});

describe("package.json", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
  const properties: Record<string, { description?: string; markdownDescription?: string }> =
    manifest.contributes.configuration.properties;

  it("declares the restricted settings that the code restricts", () => {
    assert.deepEqual(
      [...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
      WORKSPACE_RESTRICTED_KEYS.map((key) => `perflint.${key}`).sort(),
    );
  });

  it("contributes every setting the code reads, each with a description", () => {
    const known = [...RESTART_KEYS, ...RECONFIGURE_KEYS, "trace.server"].map((key) => `perflint.${key}`).sort();
    assert.deepEqual(Object.keys(properties).sort(), known);
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(property.description || property.markdownDescription, `${key} has no description`);
    }
  });

  it("has the same severity defaults as the code", () => {
    assert.deepEqual((properties["perflint.severity"] as { default: unknown }).default, DEFAULT_SEVERITY);
  });
});

describe("restricted mode", () => {
  it("notes a restricted workspace value it ignores, and nothing otherwise", () => {
    const layers = { defaultValue: "", workspaceValue: "./evil/python" };
    assert.match(restrictedModeNote("interpreter", layers, false) ?? "", /^Restricted mode: ignoring perflint\.interpreter = "\.\/evil\/python"/);
    assert.equal(restrictedModeNote("interpreter", layers, true), undefined);
    assert.equal(restrictedModeNote("select", { workspaceValue: ["PF1"] }, false), undefined);
    assert.equal(restrictedModeNote("args", { globalValue: ["--log-level", "info"] }, false), undefined);
  });
});

