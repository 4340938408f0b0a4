// One incremental search step over the armed patterns (see pattern.ts for the three kinds).
// Each armed pattern remembers how far it has searched; a step searches only what is new to it
// plus the overlap its kind needs, and returns the earliest match among all of them.
import { now } from '../core/time.ts';
import type { CompiledPattern, Found } from './pattern.ts';
import type { TextStore } from './text-store.ts';

export interface Armed {
  readonly pattern: CompiledPattern;
  readonly death: boolean;
  /** Absolute offset up to which this pattern has been searched without a match. */
  scannedTo: number;
}

export interface Hit extends Found {
  armed: Armed;
}

/** 'stream' patterns are re-searched when the data grew by this much or by as much as was searched. */
const STREAM_MIN_STEP = 4096;

export class Scanner {
  /** Duration of the last full search of the 'stream' patterns, to pace the idle re-search. */
  lastStreamScanMs = 0;
  /** True when a 'stream' pattern has data it has not searched yet. */
  streamPending = false;

  constructor(
    private readonly store: TextStore,
    private readonly maxLine: number,
  ) {}

  scan(armed: readonly Armed[], consumed: number, forceStream: boolean): Hit | null {
    const store = this.store;
    const end = store.end;
    const hits: Hit[] = [];
    const froms: number[] = [];
    let winStart = end;
    let lineStartCache: [number, number] | undefined;
    for (const a of armed) {
      a.scannedTo = Math.max(a.scannedTo, consumed);
      froms.push(-1);
      if (a.pattern.kind === 'stream' || a.scannedTo >= end) continue;
      let from: number;
      if (a.pattern.kind === 'literal') from = a.scannedTo - a.pattern.overlap;
      else {
        if (lineStartCache?.[0] !== a.scannedTo)
          lineStartCache = [a.scannedTo, store.lineStartBefore(a.scannedTo, this.maxLine)];
        from = lineStartCache[1];
      }
      from = Math.max(from, consumed);
      froms[froms.length - 1] = from;
      winStart = Math.min(winStart, from);
    }
    if (winStart < end) {
      const win = store.slice(winStart, end);
      for (let i = 0; i < armed.length; i++) {
        const a = armed[i];
        const from = froms[i];
        if (from < 0) continue;
        const f = a.pattern.find(win, from - winStart);
        a.scannedTo = end;
        if (f) hits.push({ armed: a, start: f.start + winStart, end: f.end + winStart, groups: f.groups });
      }
    }
    this.scanStreams(armed, consumed, forceStream || hits.length > 0, hits);
    let best: Hit | null = null;
    for (const h of hits) {
      if (!best || h.start < best.start || (h.start === best.start && h.armed.death && !best.armed.death)) best = h;
    }
    return best;
  }

  private scanStreams(armed: readonly Armed[], consumed: number, force: boolean, hits: Hit[]): void {
    const end = this.store.end;
    this.streamPending = false;
    let win: string | undefined;
    for (const a of armed) {
      if (a.pattern.kind !== 'stream' || a.scannedTo >= end) continue;
      const grown = end - a.scannedTo;
      if (!force && grown < Math.max(STREAM_MIN_STEP, a.scannedTo - consumed)) {
        this.streamPending = true;
        continue;
      }
      const t0 = now();
      win ??= this.store.slice(consumed, end);
      const f = a.pattern.find(win, 0);
      a.scannedTo = end;
      this.lastStreamScanMs = now() - t0;
      if (f) hits.push({ armed: a, start: f.start + consumed, end: f.end + consumed, groups: f.groups });
    }
  }
}
