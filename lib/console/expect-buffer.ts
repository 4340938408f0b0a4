// The expect engine, independent of any transport: bytes are pushed as they arrive; expect()
// consumes up to the end of its match and keeps the rest. A timeout, a silence or a death loses
// nothing: the kept bytes are there for the next expect. Linear in the input (see pattern.ts).
// Text handed out (matches, tails for errors) has the registered secrets masked: a board may
// print a password (a login echo, a kernel command line) and that text travels into reports.
import type { FailureCode } from '../core/error-codes.ts';
import { isRigError, RigError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { redact } from '../core/redact.ts';
import { now } from '../core/time.ts';
import { ConsoleDeathError, DEFAULT_DEATH_PATTERNS, indent } from './death.ts';
import { type CompiledPattern, compilePatterns, fromLatin1 } from './pattern.ts';
import { type Armed, type Hit, Scanner } from './scanner.ts';
import { TextStore } from './text-store.ts';
import type { ExpectMatch, ExpectOptions } from './types.ts';

export interface ExpectBufferOptions {
  /** Names the console in errors (no secrets). */
  description: string;
  /** Always armed; defaults to DEFAULT_DEATH_PATTERNS. */
  deathPatterns?: readonly RegExp[];
  /** After a death pattern, keep reading this long so the error shows the panic's reason. */
  deathLingerMs?: number;
  /** Longest line a 'line' pattern is searched over (see pattern.ts). */
  maxLine?: number;
}

interface Waiter {
  armed: Armed[];
  opts: ExpectOptions;
  label: string;
  startedAt: number;
  resolve: (m: ExpectMatch) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  idle?: NodeJS.Timeout;
  dying: boolean;
}

const TAIL_KEEP = 16 * 1024;

export class ExpectBuffer {
  private readonly store = new TextStore();
  private readonly scanner: Scanner;
  private readonly deaths: CompiledPattern[];
  /** How far each pattern searched the unconsumed data in earlier waits (reset when consumed moves). */
  private readonly memo = new Map<string, number>();
  private consumed = 0;
  private waiter?: Waiter;
  private ended?: Error;
  lastDataAt = now();

  constructor(private readonly opts: ExpectBufferOptions) {
    this.scanner = new Scanner(this.store, opts.maxLine ?? 64 * 1024);
    this.deaths = (opts.deathPatterns ?? DEFAULT_DEATH_PATTERNS).flatMap((p) => compilePatterns(p));
  }

  get received(): number {
    return this.store.end;
  }

  get waiting(): boolean {
    return this.waiter !== undefined;
  }

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    if (text.length === 0) return;
    this.store.append(text);
    this.lastDataAt = now();
    if (this.waiter && !this.waiter.dying) this.check(false);
  }

  /** The transport is gone: a wait that the kept bytes cannot satisfy fails with `err`. */
  end(err: Error): void {
    this.ended ??= err;
    if (this.waiter && !this.waiter.dying && !this.check(true)) this.fail(this.endError(this.waiter));
  }

  expect(pattern: RegExp | string, opts: ExpectOptions): Promise<ExpectMatch> {
    if (this.waiter) throw new Error(`console: expect(${opts.name}) while ${this.waiter.opts.name} is waiting`);
    const armed: Armed[] = [];
    const arm = (p: CompiledPattern, death: boolean) =>
      armed.push({ pattern: p, death, order: armed.length, scannedTo: this.memo.get(p.label) ?? this.consumed });
    for (const p of compilePatterns(pattern)) arm(p, false);
    for (const d of this.deaths) arm(d, true);
    for (const d of opts.deathPatterns ?? []) for (const p of compilePatterns(d)) arm(p, true);
    const label = typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern);
    return new Promise<ExpectMatch>((resolve, reject) => {
      const w: Waiter = { armed, opts, label, startedAt: now(), resolve, reject, dying: false };
      this.waiter = w;
      if (this.check(true)) return;
      if (this.ended) this.fail(this.endError(w));
      else this.armTimer(w);
    });
  }

  /** Since the last byte arrived (or since this buffer exists). */
  silentForMs(): number {
    return now() - this.lastDataAt;
  }

  /** Text received that no expect consumed. */
  pending(): string {
    return redact(fromLatin1(this.store.slice(this.consumed)));
  }

  discard(): void {
    this.consume(this.store.end);
  }

  /** The last lines for an error message: secrets masked, control bytes escaped (see printable.ts). */
  tail(lines = 20): string {
    const text = redact(fromLatin1(this.store.slice(this.store.end - TAIL_KEEP))).replace(/\r/g, '');
    const last = text.split('\n').slice(-lines).join('\n');
    return printable(last, { multiline: true, max: TAIL_KEEP });
  }

  /** Searches for the waiter; settles it and returns true on a match. */
  private check(forceStream: boolean): boolean {
    const w = this.waiter;
    if (!w) return false;
    const hit = this.scanner.scan(w.armed, this.consumed, forceStream);
    if (hit) {
      if (hit.armed.death) this.die(w, hit);
      else this.match(w, hit);
      return true;
    }
    if (this.scanner.streamPending && !w.idle) {
      // Amortised search of multi-line patterns: paced so it costs at most ~10% of the time.
      const delay = Math.min(1000, Math.max(1, this.scanner.lastStreamScanMs * 10));
      w.idle = setTimeout(() => {
        w.idle = undefined;
        if (this.waiter === w && !w.dying) this.check(true);
      }, delay);
    }
    return false;
  }

  private match(w: Waiter, hit: Hit): void {
    const text = this.store.slice(hit.start, hit.end);
    const before = this.store.slice(this.consumed, hit.start);
    this.finish(w);
    this.consume(hit.end);
    w.resolve({
      text: redact(fromLatin1(text)),
      groups: hit.groups.map((g) => redact(fromLatin1(g))),
      before: redact(fromLatin1(before)),
      offset: hit.end,
    });
  }

  /** A death does not consume: the next wait sees the same panic unless the caller discards it. */
  private die(w: Waiter, hit: Hit): void {
    w.dying = true;
    this.clearTimers(w);
    setTimeout(() => {
      const from = this.store.lineStartBefore(hit.start, 4096);
      const rest = this.store.slice(from, from + 4096);
      const nl = rest.indexOf('\n', hit.start - from);
      const line = printable(redact(fromLatin1(nl < 0 ? rest : rest.slice(0, nl)).replace(/\r/g, '')));
      const err = new ConsoleDeathError({
        line,
        pattern: hit.armed.pattern.label.replace(/#\d+$/, ''),
        waitName: w.opts.name,
        consoleTail: this.tail(),
        offset: hit.start,
      });
      this.fail(err);
    }, this.opts.deathLingerMs ?? 500);
  }

  private armTimer(w: Waiter): void {
    const { timeout, silenceMs } = w.opts;
    const quietSince = Math.max(this.lastDataAt, w.startedAt);
    const deadline = Math.min(w.startedAt + timeout, silenceMs ? quietSince + silenceMs : Infinity);
    w.timer = setTimeout(() => this.onTimer(w), Math.max(0, deadline - now()));
  }

  private onTimer(w: Waiter): void {
    if (this.waiter !== w || w.dying) return;
    const t = now();
    const { timeout, silenceMs, name } = w.opts;
    const silent = silenceMs !== undefined && t - Math.max(this.lastDataAt, w.startedAt) >= silenceMs;
    if (t - w.startedAt < timeout && !silent) {
      this.armTimer(w);
      return;
    }
    if (this.check(true)) return;
    const tail = this.tail();
    const what = `${name} (${w.label})`;
    const [code, why]: [FailureCode, string] =
      t - w.startedAt >= timeout
        ? ['CONSOLE_TIMEOUT', `no ${what} within ${timeout} ms`]
        : ['CONSOLE_SILENCE', `silent for ${silenceMs} ms while waiting for ${what}: the board hangs`];
    this.fail(
      new RigError(`console ${this.opts.description}: ${why}; last lines:\n${indent(tail)}`, {
        code,
        part: 'console',
        phase: name,
        consoleTail: tail,
      }),
    );
  }

  private endError(w: Waiter): Error {
    const e = this.ended!;
    const tail = this.tail();
    if (!isRigError(e)) return e;
    return new RigError(`${e.message} (while waiting for ${w.opts.name}); last lines:\n${indent(tail)}`, {
      code: e.code,
      part: e.part,
      phase: w.opts.name,
      consoleTail: tail,
      cause: e,
    });
  }

  private fail(err: Error): void {
    const w = this.waiter;
    if (!w) return;
    this.finish(w);
    w.reject(err);
  }

  private finish(w: Waiter): void {
    this.clearTimers(w);
    for (const a of w.armed) this.memo.set(a.pattern.label, a.scannedTo);
    if (this.waiter === w) this.waiter = undefined;
  }

  private clearTimers(w: Waiter): void {
    clearTimeout(w.timer);
    clearTimeout(w.idle);
    w.idle = undefined;
  }

  private consume(to: number): void {
    this.consumed = to;
    this.memo.clear();
    this.store.dropBefore(Math.min(to, this.store.end - TAIL_KEEP));
  }
}
