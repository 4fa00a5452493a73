/**
 * Findings as `perflint check --format json` prints them (SPEC "json format"),
 * and the orderings the hotspots view and the status bar need.
 */
import * as path from "path";

export interface Finding {
  /** Absolute path of the file. */
  path: string;
  /** 1-based line and code-point column; end is exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  rule: string;
  level: number;
  category: string;
  message: string;
  rank: number;
  impact: number;
  fixable: boolean;
  /** In a notebook: the 1-based cell number; line and column are then relative to the cell. */
  cell?: number;
}

export const LEVEL_NAMES: Readonly<Record<number, string>> = {
  0: "error",
  1: "algorithm",
  2: "database",
  3: "caching",
  4: "io",
  5: "infrastructure",
};

/**
 * Parses the CLI's JSON output. Relative paths are made absolute against `baseDir`
 * (the CLI prints paths as given; the extension passes absolute folders, so this
 * only matters for other callers). Throws on anything that breaks the schema.
 */
export function parseFindings(json: string, baseDir: string): Finding[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new Error(`perflint printed invalid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) {
    throw new Error("perflint printed JSON that is not a list of findings");
  }
  return data.map((item, index) => toFinding(item, index, baseDir));
}

function toFinding(item: unknown, index: number, baseDir: string): Finding {
  if (typeof item !== "object" || item === null) {
    throw new Error(`finding ${index} is not an object`);
  }
  const record = item as Record<string, unknown>;
  const field = <T>(name: string, check: (value: unknown) => boolean, what: string): T => {
    const value = record[name];
    if (!check(value)) {
      throw new Error(`finding ${index}: "${name}" must be ${what}, got ${JSON.stringify(value)}`);
    }
    return value as T;
  };
  const isString = (value: unknown) => typeof value === "string";
  const isPositive = (value: unknown) => Number.isInteger(value) && (value as number) >= 1;
  const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);
  const isLevel = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 5;

  const file = field<string>("path", isString, "a string");
  const fix = record["fix"];
  if (fix !== null && fix !== undefined && typeof fix !== "object") {
    throw new Error(`finding ${index}: "fix" must be an object or null`);
  }
  return {
    path: path.resolve(baseDir, file),
    line: field<number>("line", isPositive, "a line number"),
    column: field<number>("column", isPositive, "a column number"),
    endLine: field<number>("end_line", isPositive, "a line number"),
    endColumn: field<number>("end_column", isPositive, "a column number"),
    code: field<string>("code", isString, "a string"),
    rule: field<string>("rule", isString, "a string"),
    level: field<number>("level", isLevel, "a level from 0 to 5"),
    category: field<string>("category", isString, "a string"),
    message: field<string>("message", isString, "a string"),
    rank: field<number>("rank", isPositive, "a rank"),
    impact: field<number>("impact", isNumber, "a number"),
    fixable: fix !== null && fix !== undefined,
    ...(isPositive(record["cell"]) ? { cell: record["cell"] as number } : {}),
  };
}

/**
 * Rank order across several CLI runs (one per workspace folder): level first, then
 * impact, highest first; ties keep each run's own rank, then path and line.
 */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.level - b.level ||
      b.impact - a.impact ||
      a.rank - b.rank ||
      compareText(a.path, b.path) ||
      a.line - b.line ||
      a.column - b.column,
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface LevelGroup {
  level: number;
  name: string;
  findings: Finding[];
}

/** Groups ranked findings by level, levels in ascending order, rank order kept inside each group. */
export function groupByLevel(ranked: readonly Finding[]): LevelGroup[] {
  const groups = new Map<number, LevelGroup>();
  for (const finding of ranked) {
    let group = groups.get(finding.level);
    if (!group) {
      group = { level: finding.level, name: LEVEL_NAMES[finding.level] ?? finding.category, findings: [] };
      groups.set(finding.level, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()].sort((a, b) => a.level - b.level);
}

/**
 * VS Code counts columns in UTF-16 code units, perflint in code points.
 * Converts a 1-based code-point column on `lineText` to a 0-based UTF-16 offset.
 */
export function codePointColumnToUtf16(lineText: string, column: number): number {
  let offset = 0;
  let seen = 1;
  for (const character of lineText) {
    if (seen >= column) break;
    offset += character.length;
    seen++;
  }
  return offset + Math.max(0, column - seen);
}

/** The level a rule code belongs to (`PF404` -> 4), or undefined for codes that are not perflint's. */
export function levelOfCode(code: string): number | undefined {
  const match = /^PF([0-5])\d\d$/.exec(code);
  return match ? Number(match[1]) : undefined;
}

/** `nested.py:4` as shown next to a finding; `relativeTo` shortens paths inside the workspace. */
export function findingLocation(finding: Finding, relativeTo: string | undefined): string {
  const shown =
    relativeTo && !path.relative(relativeTo, finding.path).startsWith("..")
      ? path.relative(relativeTo, finding.path)
      : finding.path;
  return finding.cell === undefined ? `${shown}:${finding.line}` : `${shown}:cell ${finding.cell}:${finding.line}`;
}

/** A function a code lens points at: the hotspots view then lists only its findings. */
export interface FunctionScope {
  path: string;
  function: string;
  /** 1-based first line (its first decorator) and last line. */
  line: number;
  endLine: number;
}

export function isFunctionScope(value: unknown): value is FunctionScope {
  const scope = value as FunctionScope;
  return (
    typeof value === "object" && value !== null &&
    typeof scope.path === "string" && typeof scope.function === "string" &&
    Number.isInteger(scope.line) && Number.isInteger(scope.endLine)
  );
}

/** The findings inside `scope` (all of them without one). */
export function inScope(findings: Finding[], scope: FunctionScope | undefined): Finding[] {
  if (!scope) return findings;
  return findings.filter((f) => f.path === scope.path && f.line >= scope.line && f.line <= scope.endLine);
}

