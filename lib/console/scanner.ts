// One incremental search step over the armed patterns (see pattern.ts for the three kinds).
// Each armed pattern remembers how far it has searched; a step searches only what is new to it
// plus the overlap its kind needs, and returns the earliest match among all of them.
import { now } from '../core/time.ts';
import type { CompiledPattern, Found } from './pattern.ts';
import type { TextStore } from './text-store.ts';

export interface Armed {
  readonly pattern: CompiledPattern;
  readonly death: boolean;
  /** Priority among matches starting at the same offset (alternatives of one regex: their order). */
  readonly order: number;
  /** Absolute offset up to which this pattern has been searched without a match. */
  scannedTo: number;
  /** 'stream' patterns with a leading literal: where it first occurs (-1: not yet), searched up to leadTo. */
  leadAt?: number;
  leadTo?: number;
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
      if (!best || h.start < best.start) best = h;
      else if (
        h.start === best.start &&
        (h.armed.death ? 0 : 1) * 1e9 + h.armed.order < (best.armed.death ? 0 : 1) * 1e9 + best.armed.order
      )
        best = h;
    }
    return best;
  }

  private scanStreams(armed: readonly Armed[], consumed: number, force: boolean, hits: Hit[]): void {
    const end = this.store.end;
    const streams = armed.filter((a) => a.pattern.kind === 'stream' && a.scannedTo < end);
    // A leading literal seen for the first time may complete a match: search everything now.
    for (const a of streams) if (this.findLead(a, consumed)) force = true;
    const skipped = this.searchStreams(streams, consumed, force, hits);
    // Any match must be compared with every pattern's earliest: finish the deferred ones.
    this.streamPending = skipped.length > 0 && hits.length === 0;
    if (skipped.length && hits.length) this.searchStreams(skipped, consumed, true, hits);
  }

  /** Returns the patterns whose search was deferred (amortisation). */
  private searchStreams(streams: Armed[], consumed: number, force: boolean, hits: Hit[]): Armed[] {
    const end = this.store.end;
    const skipped: Armed[] = [];
    for (const a of streams) {
      if (a.scannedTo >= end) continue;
      const base = a.pattern.lead ? (a.leadAt ?? consumed) : consumed;
      if (!force && end - a.scannedTo < Math.max(STREAM_MIN_STEP, a.scannedTo - base)) {
        skipped.push(a);
        continue;
      }
      const t0 = now();
      const f = a.pattern.find(this.store.slice(base, end), 0);
      a.scannedTo = end;
      this.lastStreamScanMs = now() - t0;
      if (f) hits.push({ armed: a, start: f.start + base, end: f.end + base, groups: f.groups });
    }
    return skipped;
  }

  /**
   * A match starts at an occurrence of the leading literal, so the search starts at the first
   * one; until it shows up there is nothing to search. True when it was just found.
   */
  private findLead(a: Armed, consumed: number): boolean {
    const lead = a.pattern.lead;
    if (!lead || (a.leadAt !== undefined && a.leadAt >= consumed)) return false;
    const end = this.store.end;
    const from = Math.max(consumed, (a.leadTo ?? consumed) - lead.length + 1);
    const i = this.store.slice(from, end).indexOf(lead);
    a.leadTo = end;
    if (i < 0) {
      a.scannedTo = end;
      return false;
    }
    a.leadAt = from + i;
    a.scannedTo = a.leadAt;
    return true;
  }
}
