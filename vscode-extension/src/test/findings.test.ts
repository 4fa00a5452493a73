import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  codePointColumnToUtf16,
  Finding,
  findingLocation,
  groupByLevel,
  inScope,
  isFunctionScope,
  levelOfCode,
  parseFindings,
  rankFindings,
} from "../logic/findings";

/** One element exactly as SPEC's json format shows it. */
const specElement = {
  path: "src/app.py",
  line: 42,
  column: 9,
  end_line: 42,
  end_column: 19,
  code: "PF101",
  rule: "list-membership-in-loop",
  level: 1,
  category: "algorithm",
  message: "`x in items` scans a list on every iteration",
  rank: 1,
  impact: 12.5,
  fix: {
    message: "build a set",
    applicability: "safe",
    edits: [{ line: 40, column: 5, end_line: 40, end_column: 5, content: "s = set(items)\n" }],
  },
};

function finding(overrides: Partial<Finding>): Finding {
  return {
    path: "/p/a.py",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    code: "PF404",
    rule: "readlines-iteration",
    level: 4,
    category: "io",
    message: "m",
    rank: 1,
    impact: 1,
    fixable: true,
    ...overrides,
  };
}

describe("parseFindings", () => {
  it("reads the SPEC's example element and resolves its relative path", () => {
    const [parsed] = parseFindings(JSON.stringify([specElement]), "/work/project");
    assert.deepEqual(parsed, {
      path: "/work/project/src/app.py",
      line: 42,
      column: 9,
      endLine: 42,
      endColumn: 19,
      code: "PF101",
      rule: "list-membership-in-loop",
      level: 1,
      category: "algorithm",
      message: "`x in items` scans a list on every iteration",
      rank: 1,
      impact: 12.5,
      fixable: true,
    });
  });

  it("keeps absolute paths and a null fix", () => {
    const [parsed] = parseFindings(JSON.stringify([{ ...specElement, path: "/abs/b.py", fix: null }]), "/work/project");
    assert.equal(parsed.path, "/abs/b.py");
    assert.equal(parsed.fixable, false);
  });

  it("accepts an empty run", () => {
    assert.deepEqual(parseFindings("[]\n", "/w"), []);
  });

  it("rejects output that breaks the schema, naming the field", () => {
    assert.throws(() => parseFindings("not json", "/w"), /invalid JSON/);
    assert.throws(() => parseFindings('{"findings": []}', "/w"), /not a list/);
    assert.throws(() => parseFindings(JSON.stringify([{ ...specElement, line: 0 }]), "/w"), /finding 0: "line"/);
    assert.throws(() => parseFindings(JSON.stringify([{ ...specElement, level: 7 }]), "/w"), /"level"/);
    const { impact: _impact, ...noImpact } = specElement;
    assert.throws(() => parseFindings(JSON.stringify([specElement, noImpact]), "/w"), /finding 1: "impact"/);
  });
});

describe("rankFindings", () => {
  it("orders by level, then impact (highest first)", () => {
    const cold = finding({ code: "PF101", level: 1, impact: 2, rank: 2, path: "/p/cold.py" });
    const hot = finding({ code: "PF101", level: 1, impact: 9, rank: 1, path: "/p/hot.py" });
    const io = finding({ code: "PF404", level: 4, impact: 100, rank: 3 });
    assert.deepEqual(rankFindings([io, cold, hot]), [hot, cold, io]);
  });

  it("merges runs of several folders and breaks ties by rank, path, line", () => {
    const a = finding({ path: "/one/a.py", rank: 1, impact: 3 });
    const b = finding({ path: "/two/b.py", rank: 1, impact: 3, line: 9 });
    const c = finding({ path: "/two/b.py", rank: 2, impact: 3, line: 2 });
    assert.deepEqual(rankFindings([c, b, a]), [a, b, c]);
  });

  it("does not change its input", () => {
    const input = [finding({ level: 5 }), finding({ level: 1 })];
    rankFindings(input);
    assert.deepEqual(
      input.map((item) => item.level),
      [5, 1],
    );
  });
});

describe("groupByLevel", () => {
  it("groups in level order and keeps rank order inside each group", () => {
    const ranked = rankFindings([
      finding({ level: 4, impact: 1, path: "/p/x.py" }),
      finding({ level: 1, impact: 5, code: "PF101", category: "algorithm" }),
      finding({ level: 4, impact: 7, path: "/p/y.py" }),
    ]);
    const groups = groupByLevel(ranked);
    assert.deepEqual(
      groups.map((group) => [group.level, group.name, group.findings.map((item) => item.path)]),
      [
        [1, "algorithm", ["/p/a.py"]],
        [4, "io", ["/p/y.py", "/p/x.py"]],
      ],
    );
  });

  it("has no groups for no findings", () => {
    assert.deepEqual(groupByLevel([]), []);
  });
});

describe("columns and codes", () => {
  it("converts code-point columns to UTF-16 offsets", () => {
    assert.equal(codePointColumnToUtf16("for line in f.readlines():", 13), 12);
    // "😀" is one code point but two UTF-16 units.
    assert.equal(codePointColumnToUtf16("s = '😀'; f.readlines()", 10), 10);
    assert.equal(codePointColumnToUtf16("ab", 5), 4);
  });

  it("reads the level from a rule code", () => {
    assert.equal(levelOfCode("PF101"), 1);
    assert.equal(levelOfCode("PF404"), 4);
    assert.equal(levelOfCode("PF000"), 0);
    assert.equal(levelOfCode("E501"), undefined);
    assert.equal(levelOfCode("PF1011"), undefined);
  });

  it("shows locations relative to the workspace folder when inside it", () => {
    assert.equal(findingLocation(finding({ path: "/w/src/a.py", line: 3 }), "/w"), "src/a.py:3");
    assert.equal(findingLocation(finding({ path: "/elsewhere/a.py", line: 3 }), "/w"), "/elsewhere/a.py:3");
  });
});

describe("a code lens's scope", () => {
  const at = (path: string, line: number) =>
    ({ path, line, column: 1, endLine: line, endColumn: 2, code: "PF404", rule: "r", level: 4,
       category: "io", message: "m", rank: 1, impact: 1, fixable: false });
  it("keeps the findings inside the function, all without a scope", () => {
    const findings = [at("/w/a.py", 3), at("/w/a.py", 9), at("/w/b.py", 4)];
    const scope = { path: "/w/a.py", function: "load", line: 2, endLine: 5 };
    assert.deepEqual(inScope(findings, scope), [findings[0]]);
    assert.deepEqual(inScope(findings, undefined), findings);
  });
  it("accepts only well-formed lens arguments", () => {
    assert.equal(isFunctionScope({ path: "/w/a.py", function: "load", line: 2, endLine: 5 }), true);
    assert.equal(isFunctionScope({ path: "/w/a.py", function: "load", line: "2" }), false);
    assert.equal(isFunctionScope(undefined), false);
  });
});

describe("notebook findings", () => {
  it("keep their cell and name it in the location", () => {
    const json = JSON.stringify([
      { ...specElement, path: "nb.ipynb", cell: 3, line: 2 },
    ]);
    const [finding] = parseFindings(json, "/w");
    assert.equal(finding.cell, 3);
    assert.equal(findingLocation(finding, "/w"), "nb.ipynb:cell 3:2");
    assert.equal(parseFindings(JSON.stringify([specElement]), "/w")[0].cell, undefined);
  });
});

