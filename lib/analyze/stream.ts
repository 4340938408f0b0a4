// `analyze` over a stream of any size: lines are read a chunk at a time, cut into boots
// (lib/analyze/boots.ts), and each boot is analysed alone and handed to `onBoot` as soon as it
// ends, so memory holds one boot, never the input. A boot longer than WINDOW_BYTES (a boot
// flooded with messages) is analysed in parts of that size, each reported as a part of it.
import type { Readable } from 'node:stream';
import type { Line } from '../core/text.ts';
import { analyzeLines, type InputReport } from './analyze.ts';
import { BootSplitter } from './boots.ts';
import { cleanParts } from './clean-lines.ts';
import { markedLine, rawMarkedLine } from './line-marks.ts';
import { readLines } from './line-reader.ts';

// The parsers hold about ten times a window's size while they work on it: 4 MiB keeps a flooded
// boot within the memory a boot of a normal size needs, and is far more than a whole apu2 boot.
export const WINDOW_BYTES = 4 * 1024 * 1024;

export interface BootReport extends InputReport {
  /** 1-based boot number in the input. */
  boot: number;
  /** 1 unless the boot was longer than WINDOW_BYTES and is analysed in parts. */
  part: number;
  /** First and last line of the boot (or part) in the input. */
  lines: [number, number];
}

export interface StreamOptions {
  /** Name in messages ("stdin" for -). */
  name: string;
  maxBytes?: number;
  windowBytes?: number;
  /**
   * Awaited between batches of lines when it returns a promise: the reader of the output is
   * behind (stdout to a slow pipe), and reading on would pile the output up in memory.
   */
  pause?: () => Promise<void> | null;
}

/** Reads `stream` to its end, calling `onBoot` for each boot in order; returns how many there were. */
export async function analyzeStream(
  stream: Readable,
  source: string,
  opts: StreamOptions,
  onBoot: (r: BootReport) => void,
): Promise<number> {
  const window = opts.windowBytes ?? WINDOW_BYTES;
  const splitter = new BootSplitter();
  let raw: string[] = [];
  let lines: Line[] = [];
  let bytes = 0;
  let first = 1;
  let n = 0;
  let boot = 1;
  let part = 1;
  let boots = 0;

  const flush = () => {
    if (raw.length === 0) return;
    const r = analyzeLines(lines, raw.join('\n'), source);
    onBoot({ ...r, boot, part, lines: [first, n] });
    boots = boot;
    raw = [];
    lines = [];
    bytes = 0;
  };

  for await (const batch of readLines(stream, { name: opts.name, maxBytes: opts.maxBytes })) {
    for (const text of batch) {
      const at = n + 1;
      // Most lines need no cleaning: marked in the same pass, and no array of parts is made.
      const one = rawMarkedLine(at, text);
      const marked = one ? null : cleanParts(text).map((p) => markedLine(at, p));
      let fresh = false;
      if (one) fresh = splitter.startsBoot(one);
      else for (const l of marked!) if (splitter.startsBoot(l)) fresh = true;
      if (fresh && raw.length > 0) {
        flush();
        boot++;
        part = 1;
      } else if (bytes > window) {
        flush();
        part++;
      }
      if (raw.length === 0) first = at;
      n = at;
      raw.push(text);
      bytes += text.length + 1;
      if (one) lines.push(one);
      else for (const l of marked!) lines.push(l);
    }
    const behind = opts.pause?.();
    if (behind) await behind;
  }
  flush();
  return boots;
}
