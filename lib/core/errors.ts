// Two kinds of failure: RigError means "the lab is bad" (reported as broken, exit 2);
// a failed assertion means "the board is bad" (reported as failed, exit 1). A UsageError is what
// the user typed or wrote (one line, exit 2). Each family is recognised by its is…() check only
// (lib/core/brand.ts), never by instanceof or by name.
import { brand } from './brand.ts';
import { ERROR_CODES, type FailureCode, type Part } from './error-codes.ts';
// Their messages leave the process (console, reports): secrets are masked when they are made.
import { redact } from './redact.ts';

export interface RigErrorOptions {
  code: FailureCode;
  /**
   * The catalogue's part of the code (lib/core/error-codes.ts) unless given: only a code that
   * several parts raise (a power API's from power or the flasher's SPI mux, COMMAND_FAILED from
   * any shell, BENCH_NOT_RESTORED from the flasher or the session) names the part here.
   */
  part?: Part;
  phase?: string;
  consoleTail?: string;
  cause?: unknown;
}

export class RigError extends Error {
  readonly code: FailureCode;
  readonly part: Part;
  readonly phase?: string;
  readonly consoleTail?: string;
  constructor(message: string, opts: RigErrorOptions) {
    super(redact(message), { cause: opts.cause });
    this.name = 'RigError';
    this.code = opts.code;
    this.part = opts.part ?? ERROR_CODES[opts.code].part;
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

const rigBrand = brand(RigError, 'RigError');

/** A lab failure; with codes, one carrying one of them. */
export function isRigError(e: unknown, ...codes: FailureCode[]): e is RigError {
  return rigBrand(e) && (codes.length === 0 || codes.includes(e.code));
}

/** Also FlashRefused, RigFileError and InputError, which extend it. */
export const isUsageError = brand(UsageError, 'UsageError');

/** How a lab failure prints: one line naming the part and the code, secrets masked. */
export function rigErrorLine(e: RigError): string {
  return `${e.part} error (${e.code}): ${redact(e.message)}`;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
