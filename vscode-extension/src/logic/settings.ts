/**
 * The extension's settings as plain data: defaults, validation, path resolution,
 * which part the server receives, and what a change requires.
 *
 * No `vscode` import here: src/common/settings.ts feeds values in, tests feed literals.
 */
import * as path from "path";

export type ImportStrategy = "bundled" | "fromEnvironment";
export type SeverityName = "error" | "warning" | "information" | "hint";

export const LEVELS = [1, 2, 3, 4, 5] as const;
export const SEVERITY_NAMES: readonly SeverityName[] = ["error", "warning", "information", "hint"];
export const IMPORT_STRATEGIES: readonly ImportStrategy[] = ["bundled", "fromEnvironment"];

/** The server's default wait after a keystroke before it lints (milliseconds). */
export const DEFAULT_DEBOUNCE_MS = 150;

/** SPEC default: levels 1-2 are warnings, 3-5 information. */
export const DEFAULT_SEVERITY: Readonly<Record<string, SeverityName>> = {
  "1": "warning",
  "2": "warning",
  "3": "information",
  "4": "information",
  "5": "information",
  micro: "hint",
};

/** Everything under the `perflint` section, validated and with paths resolved. */
export interface ExtensionSettings {
  enable: boolean;
  select: string[];
  /** Codes added to what the project's configuration (or `select`) selects. */
  extendSelect: string[];
  ignore: string[];
  levels: number[];
  severity: Record<string, SeverityName>;
  /** Report PF000 (the file does not parse); off when another extension (Pylance) already does. */
  showSyntaxErrors: boolean;
  /** Glob patterns of files the editor does not lint, on top of the configuration's `exclude`. */
  exclude: string[];
  /** Absolute path of a config file used instead of discovery, or "" to discover. */
  configuration: string;
  /** Absolute path of a pstats file, or "" for none. */
  profile: string;
  /** Milliseconds to wait after a change before linting. */
  debounce: number;
  /** Interpreter as configured (absolute path, or a bare command looked up on PATH), or "" for automatic. */
  interpreter: string;
  importStrategy: ImportStrategy;
  args: string[];
}

/** The part of the settings that the language server reads (SPEC "Language server"). */
export interface ServerSettings {
  enable: boolean;
  select: string[];
  extendSelect: string[];
  ignore: string[];
  levels: number[];
  severity: Record<string, SeverityName>;
  showSyntaxErrors: boolean;
  exclude: string[];
  configuration: string | null;
  profile: string | null;
  debounce: number;
}

export interface SettingsResult {
  settings: ExtensionSettings;
  /** One sentence per setting whose value was unusable and replaced by its default. */
  problems: string[];
}

/** Where `${workspaceFolder}`, `~` and relative paths point. */
export interface PathContext {
  workspaceFolder: string | undefined;
  home: string;
}

/** Reads `perflint.<key>`; returns undefined when unset. */
export type SettingReader = (key: string) => unknown;

export function readSettings(get: SettingReader, where: PathContext): SettingsResult {
  const problems: string[] = [];
  const bool = (key: string, fallback: boolean): boolean => {
    const value = get(key);
    if (value === undefined || typeof value === "boolean") return value ?? fallback;
    problems.push(`perflint.${key} must be true or false; using ${fallback}`);
    return fallback;
  };
  const text = (key: string): string => {
    const value = get(key);
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value.trim();
    problems.push(`perflint.${key} must be a string; ignoring it`);
    return "";
  };
  const strings = (key: string): string[] => {
    const value = get(key);
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return [...value];
    problems.push(`perflint.${key} must be a list of strings; ignoring it`);
    return [];
  };

  const levels = readLevels(get("levels"), problems);
  const severity = readSeverity(get("severity"), problems);

  const strategy = get("importStrategy") ?? "bundled";
  let importStrategy: ImportStrategy = "bundled";
  if (IMPORT_STRATEGIES.includes(strategy as ImportStrategy)) {
    importStrategy = strategy as ImportStrategy;
  } else {
    problems.push(`perflint.importStrategy must be one of ${IMPORT_STRATEGIES.join(", ")}; using bundled`);
  }

  const profile = text("profile");
  const configuration = text("configuration");
  const interpreter = text("interpreter");
  let debounce = DEFAULT_DEBOUNCE_MS;
  const wait = get("debounce");
  if (typeof wait === "number" && Number.isInteger(wait) && wait >= 0) {
    debounce = wait;
  } else if (wait !== undefined && wait !== null) {
    problems.push(`perflint.debounce must be a whole number of milliseconds (0 or more); using ${DEFAULT_DEBOUNCE_MS}`);
  }
  return {
    settings: {
      enable: bool("enable", true),
      select: strings("select"),
      extendSelect: strings("extendSelect"),
      ignore: strings("ignore"),
      levels,
      severity,
      showSyntaxErrors: bool("showSyntaxErrors", true),
      exclude: strings("exclude"),
      configuration: configuration ? resolvePath(configuration, where) : "",
      profile: profile ? resolvePath(profile, where) : "",
      debounce,
      interpreter: interpreter ? resolveCommand(interpreter, where) : "",
      importStrategy,
      args: strings("args"),
    },
    problems,
  };
}

function readLevels(value: unknown, problems: string[]): number[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((level) => LEVELS.includes(level))) {
    return [...new Set(value as number[])].sort((a, b) => a - b);
  }
  problems.push("perflint.levels must be a list of levels 1 to 5; reporting all levels");
  return [];
}

function readSeverity(value: unknown, problems: string[]): Record<string, SeverityName> {
  const severity = { ...DEFAULT_SEVERITY };
  if (value === undefined || value === null) return severity;
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.push("perflint.severity must map levels to severities; using the defaults");
    return severity;
  }
  for (const [level, name] of Object.entries(value as Record<string, unknown>)) {
    if (!(level in DEFAULT_SEVERITY)) {
      problems.push(`perflint.severity: "${level}" is not a level (1 to 5) or micro; ignoring it`);
    } else if (!SEVERITY_NAMES.includes(name as SeverityName)) {
      problems.push(`perflint.severity: level ${level} must be one of ${SEVERITY_NAMES.join(", ")}; using ${severity[level]}`);
    } else {
      severity[level] = name as SeverityName;
    }
  }
  return severity;
}

/** Expands `${workspaceFolder}` and `~`, and makes a relative path absolute against the workspace folder. */
export function resolvePath(value: string, where: PathContext): string {
  let expanded = value;
  if (where.workspaceFolder !== undefined) {
    expanded = expanded.split("${workspaceFolder}").join(where.workspaceFolder);
  }
  if (expanded === "~" || expanded.startsWith("~/")) {
    expanded = path.join(where.home, expanded.slice(1));
  }
  if (!path.isAbsolute(expanded) && where.workspaceFolder !== undefined) {
    expanded = path.join(where.workspaceFolder, expanded);
  }
  return path.normalize(expanded);
}

/** Like resolvePath, but a bare command name (`python3`) stays as it is, to be looked up on PATH. */
export function resolveCommand(value: string, where: PathContext): string {
  const isBareName = !value.includes("/") && !value.includes("\\") && !value.startsWith("~") && !value.includes("${");
  return isBareName ? value : resolvePath(value, where);
}

export function serverSettings(settings: ExtensionSettings): ServerSettings {
  return {
    enable: settings.enable,
    select: settings.select,
    extendSelect: settings.extendSelect,
    ignore: settings.ignore,
    levels: settings.levels,
    severity: settings.severity,
    showSyntaxErrors: settings.showSyntaxErrors,
    exclude: settings.exclude,
    configuration: settings.configuration || null,
    profile: settings.profile || null,
    debounce: settings.debounce,
  };
}

/** Settings that decide which process runs; changing one means a new server. */
export const RESTART_KEYS = ["interpreter", "importStrategy", "args"] as const;
/** Settings the running server picks up through workspace/didChangeConfiguration. */
export const RECONFIGURE_KEYS = [
  "enable",
  "select",
  "extendSelect",
  "ignore",
  "levels",
  "severity",
  "showSyntaxErrors",
  "exclude",
  "configuration",
  "profile",
  "debounce",
] as const;

export type ChangeEffect = "restart" | "reconfigure" | "none";

/** `affects` answers whether the change touched `perflint.<key>` (VS Code's affectsConfiguration). */
export function changeEffect(affects: (section: string) => boolean): ChangeEffect {
  if (RESTART_KEYS.some((key) => affects(`perflint.${key}`))) return "restart";
  if (RECONFIGURE_KEYS.some((key) => affects(`perflint.${key}`))) return "reconfigure";
  return "none";
}

/**
 * Settings that name a program to run. In an untrusted workspace, values from the
 * workspace's own settings are ignored for these (package.json declares the same
 * list as `restrictedConfigurations`).
 */
export const WORKSPACE_RESTRICTED_KEYS: readonly string[] = RESTART_KEYS;

/** The layers of a setting, as VS Code's `WorkspaceConfiguration.inspect` returns them. */
export interface SettingLayers {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** The value in effect, leaving out workspace layers of restricted keys when the workspace is not trusted. */
export function effectiveValue(key: string, layers: SettingLayers, trusted: boolean): unknown {
  const userLevel = layers.globalValue ?? layers.defaultValue;
  if (!trusted && WORKSPACE_RESTRICTED_KEYS.includes(key)) return userLevel;
  return layers.workspaceFolderValue ?? layers.workspaceValue ?? userLevel;
}

/**
 * The note for the output channel when restricted mode (an untrusted workspace) ignores a
 * value that the workspace's own settings give a restricted key; undefined otherwise.
 */
export function restrictedModeNote(key: string, layers: SettingLayers, trusted: boolean): string | undefined {
  if (trusted || !WORKSPACE_RESTRICTED_KEYS.includes(key)) return undefined;
  const fromWorkspace = layers.workspaceFolderValue ?? layers.workspaceValue;
  if (fromWorkspace === undefined) return undefined;
  return (
    `Restricted mode: ignoring perflint.${key} = ${JSON.stringify(fromWorkspace)} from the workspace settings ` +
    "(it chooses a program to run); trust the workspace to use it, or set it in your user settings."
  );
}

