// A byte stream → batches of raw lines, split exactly as lib/core/text.ts toLines splits a whole
// text (CRLF, LF and a lone CR each end a line; a final terminator adds no empty line), holding
// one chunk at a time. The first 64 KiB are checked for binary data before any line is given
// out; an input with nothing but whitespace is refused at its end.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { InputError, looksBinary } from './read-input.ts';

const HEAD = 65536;

/**
 * `text.split(/\r\n|\n|\r/)`, by indexOf: most logs have no CR at all, and then only LF is searched
 * for (the regex split was a tenth of reading a Xen log).
 */
export function cut(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  if (text.indexOf('\r') < 0) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', from)) {
      out.push(text.slice(from, at));
      from = at + 1;
    }
  } else
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      out.push(text.slice(from, i));
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      from = i + 1;
    }
  out.push(text.slice(from));
  return out;
}

export interface LineReaderOptions {
  /** Name in messages ("stdin" for -). */
  name: string;
  /** Opt-in cap: refuse the input past this many bytes. */
  maxBytes?: number;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;

/** Bytes JS's String.trim() removes from a latin1 decoding (the old "empty input" rule). */
function isBlankByte(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0xa0;
}

/** Yields arrays of raw lines (no terminators) in order; throws InputError for unusable input. */
export async function* readLines(stream: Readable, opts: LineReaderOptions): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let head: Buffer[] | null = [];
  let headBytes = 0;
  let total = 0;
  let blank = true;
  let pending = '';

  function* split(text: string, end: boolean): Generator<string[]> {
    let all = pending + text;
    // A CR at the end of a chunk may be the first half of a CRLF: wait for the next chunk.
    let held = '';
    if (!end && all.endsWith('\r')) {
      held = '\r';
      all = all.slice(0, -1);
    }
    const lines = cut(all);
    if (end) {
      pending = '';
      if (lines.length > 0 && lines[lines.length - 1] === '' && all.length > 0) lines.pop();
      if (all.length === 0) return;
    } else pending = (lines.pop() ?? '') + held;
    if (lines.length > 0) yield lines;
  }

  /** The first 64 KiB (or the whole input, if shorter), checked, then decoded. */
  function* releaseHead(): Generator<string[]> {
    const buf = Buffer.concat(head ?? []);
    head = null;
    if (looksBinary(buf))
      throw new InputError(
        opts.name,
        'binary',
        'not text (binary data); analyze reads console logs, command output and iperf3 JSON',
      );
    yield* split(decoder.write(buf), false);
  }

  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    total += b.length;
    if (opts.maxBytes !== undefined && total > opts.maxBytes) {
      stream.destroy();
      throw new InputError(
        opts.name,
        'too-large',
        `more than the ${mib(opts.maxBytes)} analyze reads with --max-bytes (leave it out to read the whole input)`,
      );
    }
    if (blank)
      for (const c of b)
        if (!isBlankByte(c)) {
          blank = false;
          break;
        }
    if (head) {
      head.push(b);
      headBytes += b.length;
      if (headBytes >= HEAD) yield* releaseHead();
      continue;
    }
    yield* split(decoder.write(b), false);
  }
  if (blank) throw new InputError(opts.name, 'empty', 'empty input');
  if (head) yield* releaseHead();
  yield* split(decoder.end(), true);
}
