import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  findWheel,
  firstThatInstalls,
  installAttempts,
  needsInstall,
  parseBundle,
  parseMarker,
  pipCanTargetOtherPython,
  venvPython,
  wheelVersion,
} from "../logic/bundledEnv";
import { checkArgs, isPerflintVersionOutput, serverArgs } from "../logic/commandLines";
import { FailureKind, noticeFor, SetupFailure } from "../logic/failures";

const FAILURE_KINDS: FailureKind[] = [
  "no-interpreter",
  "old-python",
  "no-wheel",
  "venv-failed",
  "pip-failed",
  "install-failed",
  "not-installed",
  "server-failed",
  "server-crashed",
];
import { SerialRunner } from "../logic/serialRunner";
import { statusView } from "../logic/status";

describe("bundled environment", () => {
  it("finds the one perflint wheel and reads its version", () => {
    assert.equal(findWheel(["README.md", "perflint-0.1.0-py3-none-any.whl"]), "perflint-0.1.0-py3-none-any.whl");
    assert.equal(wheelVersion("perflint-0.2.0.dev1-py3-none-any.whl"), "0.2.0.dev1");
    assert.equal(wheelVersion("libcst-1.9.0-cp311-cp311-manylinux_2_28_x86_64.whl"), undefined);
  });

  it("refuses no wheel or several wheels", () => {
    assert.throws(() => findWheel([]), /no perflint wheel/);
    assert.throws(
      () => findWheel(["perflint-0.1.0-py3-none-any.whl", "perflint-0.2.0-py3-none-any.whl"]),
      /several perflint wheels/,
    );
  });

  it("reinstalls when the wheel or the base interpreter changed, or the marker is missing or damaged", () => {
    const installed = { wheel: "perflint-0.1.0-py3-none-any.whl", basePython: "/usr/bin/python3.11" };
    assert.equal(needsInstall(installed, { ...installed }), false);
    assert.equal(needsInstall(installed, { ...installed, wheel: "perflint-0.2.0-py3-none-any.whl" }), true);
    assert.equal(needsInstall(installed, { ...installed, basePython: "/usr/bin/python3.12" }), true);
    assert.equal(needsInstall(undefined, installed), true);
    assert.equal(parseMarker("{not json"), undefined);
    assert.deepEqual(parseMarker(JSON.stringify(installed)), installed);
  });

  it("uses the base pip's --python option only where pip has it (22.3 and newer)", () => {
    assert.ok(pipCanTargetOtherPython("22.3"));
    assert.ok(pipCanTargetOtherPython("23.2.1\n"));
    assert.ok(pipCanTargetOtherPython("100.0"));
    assert.ok(!pipCanTargetOtherPython("22.2.2"));
    assert.ok(!pipCanTargetOtherPython("9.0.1"));
    assert.ok(!pipCanTargetOtherPython("not a version"));
  });

  it("knows where a venv keeps its Python", () => {
    assert.equal(venvPython("/s/env", "linux"), "/s/env/bin/python");
    assert.equal(venvPython("/s/env", "win32").replace(/\\/g, "/"), "/s/env/Scripts/python.exe");
  });
});

describe("bundled dependency wheels (platform packages)", () => {
  const wheel = "/ext/bundled/perflint-0.1.0-py3-none-any.whl";
  const wheels = "/ext/bundled/wheels";
  const bundle = { target: "linux-x64", pythons: ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"] };

  it("reads bundle.json as platform_wheels.py writes it, and nothing else", () => {
    const written = JSON.stringify({ ...bundle, platforms: ["manylinux_2_28_x86_64"], wheels: { "3.10": [] } });
    assert.deepEqual(parseBundle(written), bundle);
    assert.equal(parseBundle(undefined), undefined);
    assert.equal(parseBundle("{broken"), undefined);
    assert.equal(parseBundle(JSON.stringify({ target: "linux-x64" })), undefined);
    assert.equal(parseBundle(JSON.stringify({ target: "linux-x64", pythons: [3.12] })), undefined);
    assert.deepEqual(parseBundle(JSON.stringify({ target: "linux-x64", pythons: ["3.14t"] }))?.pythons, ["3.14t"]);
  });

  it("installs without a package index when the wheels cover the interpreter, with the index as the fallback", () => {
    const attempts = installAttempts(wheel, [3, 12, 4], wheels, bundle);
    assert.deepEqual(
      attempts.map((attempt) => attempt.offline),
      [true, false],
    );
    const [offline, online] = attempts.map((attempt) => attempt.args);
    assert.equal(offline[0], "install");
    assert.deepEqual(offline.slice(-4), ["--no-index", "--find-links", wheels, wheel]);
    assert.ok(!online.includes("--no-index") && !online.includes("--find-links"));
    assert.equal(online[online.length - 1], wheel);
    assert.match(attempts[0].reason, /bundled wheels \(linux-x64, CPython 3\.12\), without a package index/);
  });

  it("keeps today's behaviour (package index) in the universal package or for an uncovered Python", () => {
    const universal = installAttempts(wheel, [3, 12, 4], undefined, undefined);
    assert.equal(universal.length, 1);
    assert.equal(universal[0].offline, false);
    assert.ok(!universal[0].args.includes("--no-index"));
    const newer = installAttempts(wheel, [3, 16, 0], wheels, bundle);
    assert.deepEqual(
      newer.map((attempt) => attempt.offline),
      [false],
    );
    assert.match(newer[0].reason, /CPython 3\.10, .*3\.15, not 3\.16/);
    assert.deepEqual(
      installAttempts(wheel, undefined, wheels, bundle).map((attempt) => attempt.offline),
      [false],
    );
    // A free-threaded 3.14 needs cp314t wheels: covered only when the bundle names "3.14t".
    const threaded = installAttempts(wheel, [3, 14, 0], wheels, bundle, true);
    assert.deepEqual(
      threaded.map((attempt) => attempt.offline),
      [false],
    );
    assert.match(threaded[0].reason, /not 3\.14t/);
    assert.deepEqual(
      installAttempts(wheel, [3, 14, 0], wheels, { ...bundle, pythons: ["3.14", "3.14t"] }, true).map((a) => a.offline),
      [true, false],
    );
  });
});

describe("installing with a fallback", () => {
  const wheel = "/ext/bundled/perflint-0.1.0-py3-none-any.whl";
  const bundle = { target: "linux-x64", pythons: ["3.12"] };
  const attempts = installAttempts(wheel, [3, 12, 0], "/ext/bundled/wheels", bundle);

  it("stops at the bundled wheels when they install", async () => {
    const ran: boolean[] = [];
    const used = await firstThatInstalls(attempts, async (attempt) => {
      ran.push(attempt.offline);
    });
    assert.equal(used.offline, true);
    assert.deepEqual(ran, [true]);
  });

  it("falls back to the package index when the bundled wheels fail, and reports both when both fail", async () => {
    const ran: boolean[] = [];
    const used = await firstThatInstalls(attempts, async (attempt) => {
      ran.push(attempt.offline);
      if (attempt.offline) throw new SetupFailure("pip-failed", "pip install perflint", "no matching wheel");
    });
    assert.equal(used.offline, false);
    assert.deepEqual(ran, [true, false]);
    await assert.rejects(
      firstThatInstalls(attempts, async (attempt) => {
        throw new SetupFailure("pip-failed", "pip install perflint", attempt.offline ? "no matching wheel" : "no network");
      }),
      (error: unknown) =>
        error instanceof SetupFailure &&
        error.kind === "pip-failed" &&
        error.details === "from the bundled wheels: no matching wheel\nfrom the package index: no network",
    );
  });

  it("does not retry after an error that is not pip failing", async () => {
    let calls = 0;
    await assert.rejects(
      firstThatInstalls(attempts, async () => {
        calls++;
        throw new TypeError("bug");
      }),
      TypeError,
    );
    assert.equal(calls, 1);
  });
});

describe("command lines", () => {
  it("starts the server as a module with extra args", () => {
    assert.deepEqual(serverArgs("perflint", { args: ["--stdio"] }), ["-m", "perflint", "server", "--stdio"]);
  });

  it("checks a folder as JSON with the editor's filters", () => {
    assert.deepEqual(checkArgs("perflint", { select: [], ignore: [], levels: [], profile: "" }, "/w"), [
      "-m", "perflint", "check", "--format", "json", "--exit-zero", "/w",
    ]);
    assert.deepEqual(
      checkArgs("perflint", { select: ["PF1", "PF404"], ignore: ["PF203"], levels: [1, 4], profile: "/w/p.pstats" }, "/w"),
      [
        "-m", "perflint", "check", "--format", "json", "--exit-zero",
        "--select", "PF1,PF404", "--ignore", "PF203", "--levels", "1,4", "--profile", "/w/p.pstats", "/w",
      ],
    );
  });

  it("tells our perflint from another package of the same name", () => {
    assert.ok(isPerflintVersionOutput("perflint 0.1.0\n"));
    assert.ok(!isPerflintVersionOutput(""));
    assert.ok(!isPerflintVersionOutput("/usr/bin/python3: No module named perflint.__main__"));
  });
});

describe("failures", () => {
  it("tells the next step for each failure", () => {
    const notInstalled = noticeFor(new SetupFailure("not-installed", "/venv/bin/python"));
    assert.match(notInstalled.message, /not installed in \/venv\/bin\/python/);
    assert.deepEqual(
      notInstalled.steps.map((step) => step.step),
      ["installIntoEnvironment", "useBundled", "showOutput"],
    );
    const offline = noticeFor(new SetupFailure("pip-failed", "pip install perflint-0.1.0-py3-none-any.whl"));
    assert.match(offline.message, /PyPI/);
    assert.ok(offline.steps.some((step) => step.step === "restart"));
    const externallyManaged = noticeFor(new SetupFailure("install-failed", "/usr/bin/python3"));
    assert.match(externallyManaged.message, /Installing perflint into \/usr\/bin\/python3 failed/);
    assert.doesNotMatch(externallyManaged.message, /PyPI/);
    const old = noticeFor(new SetupFailure("old-python", "python3 (found on PATH) is Python 3.8.10"));
    assert.match(old.message, /3\.10 or newer, but python3 \(found on PATH\) is Python 3\.8\.10/);
  });

  it("gives every failure a way to the output channel", () => {
    for (const kind of FAILURE_KINDS) {
      assert.ok(noticeFor(new SetupFailure(kind, "x")).steps.some((step) => step.step === "showOutput"), kind);
    }
  });
});

describe("status bar", () => {
  it("shows the level-1 count while running", () => {
    assert.equal(statusView("running", 3, true).text, "$(flame) perflint L1: 3");
    assert.equal(statusView("running", 0, true).text, "$(check) perflint L1: 0");
    assert.match(statusView("running", 1, true).tooltip, /1 level-1 \(algorithm\) finding in/);
    assert.equal(statusView("running", undefined, true).text, "$(check) perflint");
  });
  it("shows other states, alarming only on failure", () => {
    assert.equal(statusView("starting", 2, true).text, "$(sync~spin) perflint");
    assert.equal(statusView("failed", undefined, true).alarming, true);
    assert.equal(statusView("running", 5, false).text, "$(circle-slash) perflint");
    assert.equal(statusView("running", 5, true).alarming, false);
  });
});

describe("SerialRunner", () => {
  /** A job whose runs finish only when the test says so. */
  function gatedJob() {
    const gates: (() => void)[] = [];
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const job = () =>
      new Promise<void>((resolve) => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        gates.push(() => {
          active--;
          resolve();
        });
      });
    return { job, gates, stats: () => ({ runs, maxActive }) };
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it("never overlaps runs and collapses a burst into one extra run", async () => {
    const { job, gates, stats } = gatedJob();
    const runner = new SerialRunner(job);
    const first = runner.request();
    const burst = [runner.request(), runner.request(), runner.request()];
    await tick();
    assert.deepEqual(stats(), { runs: 1, maxActive: 1 });
    gates.shift()!();
    await first;
    await tick();
    assert.deepEqual(stats(), { runs: 2, maxActive: 1 });
    gates.shift()!();
    await Promise.all(burst);
    assert.deepEqual(stats(), { runs: 2, maxActive: 1 });
  });

  it("keeps working after a run fails", async () => {
    let calls = 0;
    const runner = new SerialRunner(async () => {
      calls++;
      if (calls === 1) throw new Error("first run fails");
    });
    const failing = runner.request();
    const next = runner.request();
    await assert.rejects(failing, /first run fails/);
    await next;
    await runner.request();
    assert.equal(calls, 3);
  });

  it("settles only when nothing is running or queued", async () => {
    const { job, gates } = gatedJob();
    const runner = new SerialRunner(job);
    void runner.request();
    void runner.request();
    let settled = false;
    const done = runner.settled().then(() => (settled = true));
    await tick();
    gates.shift()!();
    await tick();
    await tick();
    assert.equal(settled, false);
    gates.shift()!();
    await done;
    assert.equal(settled, true);
  });
});
