/** Turns a SetupFailure into a notification whose buttons carry out the next step. */
import * as vscode from "vscode";
import { NextStep, noticeFor, SetupFailure } from "../logic/failures";
import { logError } from "./logging";

export type StepHandlers = Record<NextStep, () => unknown>;

export async function reportFailure(failure: SetupFailure, handlers: StepHandlers): Promise<void> {
  const notice = noticeFor(failure);
  logError(notice.message, failure.details);
  const chosen = await vscode.window.showErrorMessage(notice.message, ...notice.steps.map((step) => step.label));
  const step = notice.steps.find((candidate) => candidate.label === chosen);
  if (step) await handlers[step.step]();
}
