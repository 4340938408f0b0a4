// Read one input for `analyze` without ever holding more than maxBytes: a file's size is
// checked before reading, stdin is read in chunks and abandoned past the limit. Binary and
// empty inputs are refused with a message that says what was wrong.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isUsageError, UsageError } from '../core/errors.ts';

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

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

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;

async function readLimited(stream: Readable, source: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    total += b.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new InputError(
        source,
        'too-large',
        `more than ${mib(maxBytes)}; analyze reads at most --max-bytes (cut the log, e.g. with tail -c)`,
      );
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
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

export async function readInput(
  source: string,
  maxBytes = DEFAULT_MAX_BYTES,
  stdin: Readable = process.stdin,
): Promise<string> {
  let buf: Buffer;
  if (source === '-') {
    buf = await readLimited(stdin, 'stdin', maxBytes);
  } else {
    const st = await stat(source).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(
        source,
        'unreadable',
        e.code === 'ENOENT' ? 'no such file' : `cannot read (${e.code ?? e.message})`,
      );
    });
    if (!st.isFile()) throw new InputError(source, 'unreadable', 'not a regular file');
    if (st.size > maxBytes) {
      throw new InputError(
        source,
        'too-large',
        `${mib(st.size)}, more than the ${mib(maxBytes)} analyze reads (--max-bytes); cut the log, e.g. with tail -c`,
      );
    }
    buf = await readLimited(createReadStream(source), source, maxBytes).catch((e: unknown) => {
      if (isUsageError(e)) throw e;
      throw new InputError(source, 'unreadable', `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    });
  }
  const name = source === '-' ? 'stdin' : source;
  if (buf.length === 0 || buf.toString('latin1').trim() === '') throw new InputError(name, 'empty', 'empty input');
  if (looksBinary(buf))
    throw new InputError(
      name,
      'binary',
      'not text (binary data); analyze reads console logs, command output and iperf3 JSON',
    );
  return buf.toString('utf8');
}
