/**
 * Why the server could not start, and what the user is told to do next.
 * Each failure becomes one notification with buttons; the details go to the output channel.
 */

export type FailureKind =
  | "no-interpreter"
  | "old-python"
  | "no-wheel"
  | "venv-failed"
  | "pip-failed"
  | "install-failed"
  | "not-installed"
  | "server-failed"
  | "server-crashed";

/** What a notification button does; src/common/notifications.ts carries them out. */
export type NextStep =
  | "openInterpreterSetting"
  | "showOutput"
  | "restart"
  | "useFromEnvironment"
  | "useBundled"
  | "installIntoEnvironment"
  | "openArgsSetting";

export class SetupFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** One sentence naming the interpreter or command concerned. */
    readonly subject: string,
    /** Output of the failing command, for the output channel. */
    readonly details = "",
  ) {
    super(`${kind}: ${subject}`);
  }
}

export interface Notice {
  message: string;
  steps: { label: string; step: NextStep }[];
}

const SHOW_OUTPUT = { label: "Show output", step: "showOutput" } as const;
const OPEN_SETTING = { label: "Set interpreter", step: "openInterpreterSetting" } as const;
const RESTART = { label: "Try again", step: "restart" } as const;

export function noticeFor(failure: SetupFailure): Notice {
  const subject = failure.subject;
  switch (failure.kind) {
    case "no-interpreter":
      return {
        message: `perflint needs Python 3.10 or newer, but ${subject} could not be run. Set "perflint.interpreter" to a Python 3.10+ interpreter, or select one in the Python extension.`,
        steps: [OPEN_SETTING, SHOW_OUTPUT],
      };
    case "old-python":
      return {
        message: `perflint needs Python 3.10 or newer, but ${subject}. Set "perflint.interpreter" to a newer interpreter, or select one in the Python extension.`,
        steps: [OPEN_SETTING, SHOW_OUTPUT],
      };
    case "no-wheel":
      return {
        message: `This build of the perflint extension carries no perflint package (${subject}). Install perflint into your environment and set "perflint.importStrategy" to "fromEnvironment".`,
        steps: [{ label: "Use fromEnvironment", step: "useFromEnvironment" }, SHOW_OUTPUT],
      };
    case "venv-failed":
      return {
        message: `perflint could not create its private environment with ${subject}. On Debian or Ubuntu install the python3-venv package; or install perflint into your environment and use "fromEnvironment".`,
        steps: [RESTART, { label: "Use fromEnvironment", step: "useFromEnvironment" }, SHOW_OUTPUT],
      };
    case "pip-failed":
      return {
        message: `perflint could not install its dependencies into its private environment (${subject}): pip needs access to PyPI on first start. Connect and try again, or install perflint into your environment and use "fromEnvironment".`,
        steps: [RESTART, { label: "Use fromEnvironment", step: "useFromEnvironment" }, SHOW_OUTPUT],
      };
    case "install-failed":
      return {
        message: `Installing perflint into ${subject} failed; the output channel has pip's message. A Python managed by the system needs a virtual environment; or let the extension use its own environment ("bundled").`,
        steps: [SHOW_OUTPUT, { label: "Use bundled", step: "useBundled" }],
      };
    case "not-installed":
      return {
        message: `perflint is not installed in ${subject}. Install the perflint that ships with this extension there, or let the extension use its own environment ("bundled").`,
        steps: [
          { label: "Install perflint", step: "installIntoEnvironment" },
          { label: "Use bundled", step: "useBundled" },
          SHOW_OUTPUT,
        ],
      };
    case "server-failed":
      return {
        message: `The perflint language server could not start: ${subject}. Check "perflint.args" and "perflint.interpreter"; the output channel has the details.`,
        steps: [{ label: "Open settings", step: "openArgsSetting" }, SHOW_OUTPUT, RESTART],
      };
    case "server-crashed":
      return {
        message: `The perflint language server stopped 5 times in 3 minutes and was not restarted again (last error: ${subject}).`,
        steps: [SHOW_OUTPUT, RESTART],
      };
  }
}
