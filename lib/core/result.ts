// One result shape for every command run anywhere (local, dom0, bench controller),
// and one error class that carries it (the execa model).
import { brand } from './brand.ts';
import { printable } from './printable.ts';
import { redact } from './redact.ts';

export interface CommandResult {
  command: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** Set when the command was killed by a signal (exitCode is then null), e.g. 'SIGKILL'. */
  signal?: string;
}

/** "where: `command` exited 3" and the last lines of its output, secrets masked (it leaves the process). */
export function failureMessage(result: CommandResult, where: string): string {
  const why = result.timedOut
    ? `timed out after ${result.durationMs} ms`
    : result.signal
      ? `killed by ${result.signal}`
      : `exited ${result.exitCode}`;
  // The peer's output is shown, never obeyed by a terminal (see printable.ts).
  const tail = printable(lastLines(result.stderr || result.stdout, 5), { multiline: true, max: 1000 });
  return redact(`${where}: \`${result.command}\` ${why}${tail ? `\n${tail}` : ''}`);
}

export class CommandError extends Error {
  readonly result: CommandResult;
  constructor(result: CommandResult, where: string) {
    super(failureMessage(result, where));
    this.name = 'CommandError';
    this.result = result;
  }
}

export const isCommandError = brand(CommandError, 'CommandError');

export function succeeded(r: CommandResult): boolean {
  return !r.timedOut && r.exitCode === 0;
}

export function lastLines(text: string, n: number): string {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  return lines.slice(-n).join('\n');
}

const RECORDED = Symbol.for('iommu-lab.recorded-result');

/** Marks a result whose output the step that ran it already attached to the report. */
export function markRecorded(r: CommandResult): void {
  Object.defineProperty(r, RECORDED, { value: true, enumerable: false });
}

/** True when the result's output is already in the report: attaching it again would show it twice. */
export function isRecorded(r: CommandResult): boolean {
  return (r as unknown as Record<symbol, unknown>)[RECORDED] === true;
}
