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

const housekeeping = new AsyncLocalStorage<true>();

/**
 * Runs background housekeeping (a lock renewal on a timer) without steps or attachments: they
 * would land in whichever test happens to be running, interleaved with its own steps.
 */
export function withoutSteps<T>(body: () => Promise<T>): Promise<T> {
  return housekeeping.run(true, body);
}

export async function step<T>(name: string, params: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  if (housekeeping.getStore()) return body();
  const safeName = redact(name);
  progress.emit('step', safeName);
  if (!reporting) return body();
  return allure.step(safeName, async (ctx) => {
    for (const [k, v] of Object.entries(redactValue(params))) {
      if (v !== undefined) await ctx.parameter(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    return body();
  });
}

export async function attach(name: string, content: string | Buffer, contentType = 'text/plain'): Promise<void> {
  if (!reporting || housekeeping.getStore()) return;
  const body = typeof content === 'string' ? redact(content) : content;
  await allure.attachment(name, body, { contentType });
}

/** Attaches to the whole run rather than the current test (e.g. the console transcript). */
export async function attachGlobalFile(name: string, path: string, contentType = 'text/plain'): Promise<void> {
  if (!reporting) return;
  await allure.globalAttachmentPath(name, path, { contentType });
}
