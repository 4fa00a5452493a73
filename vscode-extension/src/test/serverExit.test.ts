import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RestartPolicy, StderrTail } from "../logic/serverExit";

describe("why the server stopped", () => {
  it("reads perflint's one-line error without the --help hint", () => {
    const tail = new StderrTail();
    tail.push("perflint: error: unrecognized arguments: --foo; usage: perflint server [--stdio]");
    tail.push(" (see 'perflint --help')\n");
    assert.equal(tail.reason(), "unrecognized arguments: --foo; usage: perflint server [--stdio]");
  });

  it("prefers perflint's error over later log lines, and ends a traceback with its last line", () => {
    const tail = new StderrTail();
    tail.push("perflint: error: /x/pyproject.toml: cannot read config: No such file or directory\nlater noise\n");
    assert.equal(tail.reason(), "/x/pyproject.toml: cannot read config: No such file or directory");
    tail.clear();
    tail.push('Traceback (most recent call last):\n  File "x", line 1\nModuleNotFoundError: No module named \'pygls\'\n');
    assert.equal(tail.reason(), "ModuleNotFoundError: No module named 'pygls'");
  });

  it("says nothing when the process said nothing, and keeps only the last lines", () => {
    const tail = new StderrTail();
    assert.equal(tail.reason(), undefined);
    for (let i = 0; i < 100; i++) tail.push(`line ${i}\n`);
    assert.equal(tail.reason(), "line 99");
  });
});

describe("restarting a stopped server", () => {
  it("never restarts a server that did not get running", () => {
    assert.equal(new RestartPolicy().shouldRestart(false, 0), false);
  });

  it("restarts a crashed server at most four times in three minutes", () => {
    const policy = new RestartPolicy();
    const answers = [0, 1000, 2000, 3000, 4000].map((now) => policy.shouldRestart(true, now));
    assert.deepEqual(answers, [true, true, true, true, false]);
    assert.equal(policy.shouldRestart(true, 3 * 60 * 1000 + 1), true); // the first crash has left the window
  });
});
