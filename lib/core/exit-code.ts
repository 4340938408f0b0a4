// The one place that decides iommu-lab's exit code and a failure's verdict. Whose problem an error
// is (its owner in lib/core/error-codes.ts) decides both: the board's → failed, exit 1; the lab's
// or the user's → broken, exit 2. A failed assertion is the board's; anything unknown (a bug in
// iommu-lab, a library error nobody translated) is counted as the lab's, never as a pass.
import { constants } from 'node:os';
import { codeInfo, type Owner } from './error-codes.ts';
import { isRigError, isUsageError } from './errors.ts';

export type Verdict = 'passed' | 'failed' | 'broken';
export type TestState = Verdict | 'skipped';

export const EXIT = { ok: 0, board: 1, lab: 2, usage: 2 } as const satisfies Record<Owner | 'ok', number>;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Chai, node:assert (BootFailure is one) and mocha's own assertion errors. */
function isAssertion(e: unknown): boolean {
  const name = (e as Error)?.name ?? '';
  return /assert/i.test(name) || (e as { code?: unknown })?.code === 'ERR_ASSERTION';
}

export function ownerOf(e: unknown): Owner {
  if (isUsageError(e)) return 'usage';
  if (isRigError(e)) return codeInfo(e.code)?.owner ?? 'lab';
  return isAssertion(e) ? 'board' : 'lab';
}

export function verdictOf(e: unknown): 'failed' | 'broken' {
  return ownerOf(e) === 'board' ? 'failed' : 'broken';
}

/** For an error that ends a command. */
export function exitCodeOf(e: unknown): ExitCode {
  return EXIT[ownerOf(e)];
}

/** For a run: any broken test, or no test run at all, is the lab's; else any failure is the board's. */
export function exitCodeForStates(states: readonly TestState[]): ExitCode {
  if (states.includes('broken')) return EXIT.lab;
  if (!states.some((s) => s !== 'skipped')) return EXIT.lab;
  return states.includes('failed') ? EXIT.board : EXIT.ok;
}

/** The shell's convention for a process ended by a signal: 128 + its number (SIGINT → 130). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}
