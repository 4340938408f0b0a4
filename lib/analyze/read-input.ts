// Open one input for `analyze`: stdin or a regular file, as a stream (lib/analyze/line-reader.ts
// reads it a chunk at a time). Binary and empty inputs are refused with a message that says
// what was wrong; --max-bytes is an opt-in cap, not a default.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isUsageError, UsageError } from '../core/errors.ts';

export type InputProblem = 'unreadable' | 'binary' | 'empty' | 'too-large';

/** A usage error: the user named an input analyze cannot read. */
export class InputError extends UsageError {
  constructor(
    readonly source: string,
    readonly problem: InputProblem,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'InputError';
  }
}

/** Looks like a binary file: NUL bytes or many control bytes in the first 64 KiB, or a known magic. */
export function looksBinary(buf: Buffer): boolean {
  const head = buf.subarray(0, 65536);
  if (/^(?:\x7fELF|\x1f\x8b|PK\x03\x04|\x89PNG|LARCHIVE|_FMAP_)/.test(head.subarray(0, 8).toString('latin1')))
    return true;
  let odd = 0;
  for (const c of head)
    if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1b) || c === 0x7f) odd++;
  if (odd > head.length * 0.1) return true;
  // Flash images are mostly 0xFF, which is not a control byte but is never valid UTF-8.
  const decoded = head.toString('utf8');
  let bad = 0;
  for (const ch of decoded) if (ch === '\uFFFD') bad++;
  return bad > decoded.length * 0.1;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;

export interface OpenedInput {
  /** Name in messages: the path, or "stdin" for -. */
  name: string;
  stream: Readable;
}

/**
 * The input as a byte stream: stdin for "-", else a regular file (checked first, so a missing
 * file, a directory or a FIFO is a clear message, not a hang). `maxBytes` is an opt-in cap.
 */
export async function openInput(
  source: string,
  opts: { maxBytes?: number; stdin?: Readable } = {},
): Promise<OpenedInput> {
  if (source === '-') return { name: 'stdin', stream: opts.stdin ?? process.stdin };
  const st = await stat(source).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(
      source,
      'unreadable',
      e.code === 'ENOENT' ? 'no such file' : `cannot read (${e.code ?? e.message})`,
    );
  });
  if (!st.isFile()) throw new InputError(source, 'unreadable', 'not a regular file');
  if (opts.maxBytes !== undefined && st.size > opts.maxBytes)
    throw new InputError(
      source,
      'too-large',
      `${mib(st.size)}, more than the ${mib(opts.maxBytes)} analyze reads with --max-bytes (leave it out to read the whole input)`,
    );
  // 64 KiB reads: a 1 MiB chunk decodes to a string in V8's large-object space, freed only by a full GC,
  // and those piled up to ~170 MiB of RSS; 64 KiB ones die young at the same speed (issue #26).
  return { name: source, stream: createReadStream(source, { highWaterMark: 64 * 1024 }) };
}

/**
 * A read error of the stream (EIO, EISDIR on some systems) as an unreadable input; anything else
 * (a usage error already, or a bug in a parser) is given back unchanged, never dressed up as a
 * bad input.
 */
export function asInputError(name: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (isUsageError(e) || typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return e;
  return new InputError(name, 'unreadable', `cannot read (${code})`);
}
