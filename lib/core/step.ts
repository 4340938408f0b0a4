// Every action on hardware is an Allure step with its (redacted) arguments. Outside a mocha
// run (CLI commands like `power on`), the same calls only feed the progress log.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as allure from 'allure-js-commons';
import { progress } from './progress.ts';
import { redact, redactValue } from './redact.ts';

let reporting = false;

/** Turned on by the mocha root hooks, where an Allure runtime exists. */
export function enableReporting(on: boolean): void {
  reporting = on;
}

export function reportingEnabled(): boolean {
  return reporting;
}

/**
 * 'housekeeping': background work (a lock renewal on a timer), neither reported nor shown.
 * 'quiet': the tries inside a poll (see poll.ts), shown on the live line but not reported.
 */
const mode = new AsyncLocalStorage<'housekeeping' | 'quiet'>();

/**
 * Runs background housekeeping (a lock renewal on a timer) without steps or attachments: they
 * would land in whichever test happens to be running, interleaved with its own steps.
 */
export function withoutSteps<T>(body: () => Promise<T>): Promise<T> {
  return mode.run('housekeeping', body);
}

/** Runs body with its steps and attachments left out of the report (progress is still shown). */
export function quietly<T>(body: () => Promise<T>): Promise<T> {
  return mode.run(mode.getStore() ?? 'quiet', body);
}

/** True where a step or attachment made now lands in the Allure report. */
export function recording(): boolean {
  return reporting && mode.getStore() === undefined;
}

/** What a step's body may change about its own step once it knows more (a poll's try count). */
export interface StepHandle {
  rename(name: string): Promise<void>;
  /** A parameter learnt during the step (a command's exit code). */
  parameter(name: string, value: string): Promise<void>;
}

const unrecorded: StepHandle = { rename: async () => {}, parameter: async () => {} };

export async function step<T>(
  name: string,
  params: Record<string, unknown>,
  body: (self: StepHandle) => Promise<T>,
): Promise<T> {
  if (mode.getStore() === 'housekeeping') return body(unrecorded);
  const safeName = redact(name);
  progress.emit('step', safeName);
  if (!recording()) return body(unrecorded);
  return allure.step(safeName, async (ctx) => {
    for (const [k, v] of Object.entries(redactValue(params))) {
      if (v !== undefined) await ctx.parameter(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    return body({
      rename: async (n) => ctx.displayName(redact(n)),
      parameter: async (k, v) => ctx.parameter(k, redact(v)),
    });
  });
}

export async function attach(name: string, content: string | Buffer, contentType = 'text/plain'): Promise<void> {
  if (!recording()) return;
  const body = typeof content === 'string' ? redact(content) : content;
  await allure.attachment(name, body, { contentType });
}

/** Attaches to the whole run rather than the current test (e.g. the console transcript). */
export async function attachGlobalFile(name: string, path: string, contentType = 'text/plain'): Promise<void> {
  if (!reporting) return;
  await allure.globalAttachmentPath(name, path, { contentType });
}
