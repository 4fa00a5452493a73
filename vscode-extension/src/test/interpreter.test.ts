import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chooseInterpreter,
  describeChoice,
  isSupported,
  parseProbe,
  PROBE_SCRIPT,
} from "../logic/interpreter";
import { run } from "../logic/run";

describe("chooseInterpreter", () => {
  it("prefers the setting over the Python extension", () => {
    assert.deepEqual(chooseInterpreter("/opt/py/bin/python", "/venv/bin/python"), {
      command: "/opt/py/bin/python",
      source: "setting",
    });
  });
  it("uses the Python extension's selection when no setting", () => {
    assert.deepEqual(chooseInterpreter("", "/venv/bin/python"), { command: "/venv/bin/python", source: "python extension" });
  });
  it("falls back to python3 on PATH", () => {
    const choice = chooseInterpreter("", undefined);
    assert.deepEqual(choice, { command: "python3", source: "PATH" });
    assert.equal(describeChoice(choice), "python3 (found on PATH)");
  });
});

describe("isSupported", () => {
  it("accepts 3.10 and newer", () => {
    assert.ok(isSupported([3, 10, 0]));
    assert.ok(isSupported([3, 13, 1]));
    assert.ok(isSupported([4, 0, 0]));
  });
  it("rejects older versions", () => {
    assert.ok(!isSupported([3, 9, 18]));
    assert.ok(!isSupported([2, 7, 18]));
  });
});

describe("parseProbe", () => {
  it("reads version and executable from the last line", () => {
    const facts = parseProbe('some banner\n{"version": [3, 11, 7], "executable": "/usr/bin/python3"}\n');
    assert.deepEqual(facts, { version: [3, 11, 7], executable: "/usr/bin/python3", freeThreaded: false });
    const threaded = parseProbe('{"version": [3, 14, 1], "executable": "/usr/bin/python3.14t", "freeThreaded": true}');
    assert.equal(threaded.freeThreaded, true);
  });
  it("rejects output that is not the probe's", () => {
    assert.throws(() => parseProbe("Python 3.11.7"), /unexpected output/);
    assert.throws(() => parseProbe('{"version": [3, 11], "executable": "/x"}'), /unexpected output/);
    assert.throws(() => parseProbe('{"version": [3, 11, 7], "executable": ""}'), /unexpected output/);
  });
  it("understands what a real python3 prints for the probe script", async () => {
    const result = await run("python3", ["-I", "-c", PROBE_SCRIPT]);
    assert.equal(result.exitCode, 0, result.stderr);
    const facts = parseProbe(result.stdout);
    assert.equal(facts.version[0], 3);
    assert.ok(facts.executable.includes("python"), facts.executable);
    assert.equal(typeof facts.freeThreaded, "boolean");
  });
});

describe("run", () => {
  it("rejects with ENOENT for a program that does not exist", async () => {
    await assert.rejects(run("perflint-no-such-python", ["-V"]), (error: NodeJS.ErrnoException) => error.code === "ENOENT");
  });
  it("reports a non-zero exit code with stderr", async () => {
    const result = await run("python3", ["-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"]);
    assert.equal(result.exitCode, 3);
    assert.equal(result.stderr, "boom");
  });
});
