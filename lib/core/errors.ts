// Two kinds of failure: RigError means "the lab is bad" (reported as broken, exit 2);
// a failed assertion means "the board is bad" (reported as failed, exit 1).
// Their messages leave the process (console, reports): secrets are masked when they are made.
import { redact } from './redact.ts';

export type Part =
  | 'rig'
  | 'power'
  | 'console'
  | 'remote'
  | 'dom0'
  | 'flasher'
  | 'lock'
  | 'boot'
  | 'twin'
  | 'session'
  | 'firmware';

export interface RigErrorOptions {
  code: string;
  part: Part;
  phase?: string;
  consoleTail?: string;
  cause?: unknown;
}

export class RigError extends Error {
  readonly code: string;
  readonly part: Part;
  readonly phase?: string;
  readonly consoleTail?: string;
  constructor(message: string, opts: RigErrorOptions) {
    super(redact(message), { cause: opts.cause });
    this.name = 'RigError';
    this.code = opts.code;
    this.part = opts.part;
    this.phase = opts.phase;
    this.consoleTail = opts.consoleTail === undefined ? undefined : redact(opts.consoleTail);
  }
}

/** A mistake in what the user typed or wrote: shown as one line, never with a stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(redact(message));
    this.name = 'UsageError';
  }
}

export function isInfrastructure(err: unknown): boolean {
  return (
    err instanceof RigError ||
    (err instanceof Error && (err as { isInfrastructure?: boolean }).isInfrastructure === true)
  );
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
