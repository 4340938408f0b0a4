// Collects what happened to every test from mocha's runner events: outcomes with stable ids,
// skip reasons per test, and where the time went (hooks included: the boot is most of a run).
// A failed `before all` hook fails every test under it that was still to run, with its cause,
// so no test vanishes from JUnit, Allure or the console (mocha alone reports only the hook).
import { AssertionError } from 'node:assert';
import { relative } from 'node:path';
import type Mocha from 'mocha';
import { type CarriedDiagnosis, carriedDiagnoses, carryDiagnoses } from '../core/carried-diagnoses.ts';
import { codeInfo, type ErrorCode } from '../core/error-codes.ts';
import { isRigError, type RigError, rigErrorLine } from '../core/errors.ts';
import { verdictOf } from '../core/exit-code.ts';
import { PROJECT_ROOT } from '../core/paths.ts';
import { redact } from '../core/redact.ts';
import type { TestOutcome } from './results.ts';
import { skipReason } from './skip-reasons.ts';
import { explicitId } from './test-id.ts';

/** The suite name of the run's own set-up and tear-down (root hooks: open, boot, close). */
export const BENCH_SUITE = 'bench';

export interface HookTime {
  suite: string;
  /** "before all: boot the board to dom0" */
  name: string;
  durationMs: number;
  failed: boolean;
}

export interface Collected {
  outcomes: TestOutcome[];
  hooks: HookTime[];
  /** Skip reason by the test's title path joined with " > " (how Allure's fullName ends). */
  skipReasons: Map<string, string>;
  /** When each top-level suite began, epoch ms. */
  suiteStarts: Record<string, number>;
}

function topSuite(t: Mocha.Runnable): string {
  let s: Mocha.Suite | undefined = t.parent;
  if (!s || s.root) return BENCH_SUITE;
  while (s.parent && !s.parent.root) s = s.parent;
  return s.title || BENCH_SUITE;
}

/** "before all: boot the board to dom0" from mocha's `"before all" hook: boot the board to dom0`. */
export function hookName(h: Mocha.Runnable): string {
  const t = (h as { originalTitle?: string }).originalTitle ?? h.title;
  const m = /^"(before|after) (all|each)" hook(?::\s*(.*?))?(?: in "[^"]*")?(?: for "[^"]*")?$/.exec(t);
  return m ? `${m[1]} ${m[2]}${m[3] ? `: ${m[3]}` : ''}` : t;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function testsUnder(s: Mocha.Suite): Mocha.Test[] {
  return [...s.tests, ...s.suites.flatMap(testsUnder)];
}

export interface CollectOptions {
  /**
   * Writes one marker line into console.log and returns its line number (undefined without a
   * console): each test's start and end are marked, and its console range is between them.
   */
  mark?: (text: string) => number | undefined;
  /** Told which test runs now (its title path), and undefined once it ended: its measurements' owner. */
  onTest?: (titlePath: string | undefined) => void;
  /** A rerun's plan (title paths): a test left pending because the plan skips it is no outcome. */
  planned?: ReadonlySet<string>;
}

/**
 * The codes a failure carries: its own code (a board failure's, a RigError's) and the findings
 * behind it; `code` is the diagnosis that names it best: a carried finding of severity error
 * first (DMA_NOT_ISOLATED rather than the assertion; PCIBACK_NOT_LOADED rather than COMMAND_FAILED).
 */
export function diagnosesOf(err: unknown): { code?: string; diagnoses: CarriedDiagnosis[] } {
  const named = (err as { failure?: unknown })?.failure;
  const own = [named, (err as { code?: unknown })?.code].find((x) => codeInfo(x)) as ErrorCode | undefined;
  const carried = carriedDiagnoses(err);
  const diagnoses = [
    ...(own && !carried.some((d) => d.code === own) ? [{ code: own, severity: 'error' as const }] : []),
    ...carried,
  ];
  const code = carried.find((d) => d.severity === 'error')?.code ?? own;
  return { ...(code ? { code } : {}), diagnoses };
}

export function collectOutcomes(runner: Mocha.Runner, opts: CollectOptions = {}): Collected {
  const c: Collected = { outcomes: [], hooks: [], skipReasons: new Map(), suiteStarts: {} };
  const ids = new Set<string>();
  const idOf = new WeakMap<Mocha.Runnable, string>();
  const started = new WeakMap<Mocha.Runnable, { at: number; line?: number }>();
  const outcomeOf = new WeakMap<Mocha.Runnable, TestOutcome>();
  const stableId = (t: Mocha.Runnable, suite: string): string => {
    const known = idOf.get(t);
    if (known) return known;
    const path = t.titlePath().slice(suite === BENCH_SUITE ? 0 : 1);
    let id = explicitId(t) ?? `${slug(suite)}/${slug(path.join(' ')) || 'set-up'}`;
    for (let n = 2; ids.has(id); n++) id = `${id.replace(/~\d+$/, '')}~${n}`;
    ids.add(id);
    idOf.set(t, id);
    return id;
  };
  const push = (t: Mocha.Runnable, o: Omit<TestOutcome, 'id' | 'suite' | 'file'>) => {
    const suite = topSuite(t);
    const id = stableId(t, suite);
    const file = t.file ? relative(PROJECT_ROOT, t.file) : undefined;
    const begun = started.get(t);
    const outcome: TestOutcome = {
      id,
      ...(explicitId(t) ? { explicitId: true } : {}),
      titlePath: t.titlePath().join(' > '),
      suite,
      ...(file ? { file } : {}),
      startedAt: begun?.at ?? Date.now(),
      ...o,
    };
    c.outcomes.push(outcome);
    outcomeOf.set(t, outcome);
  };
  // Marker lines: the console of a test is what came between its start and its end.
  runner.on('test', (t) => {
    const at = Date.now();
    const line = opts.mark?.(`${new Date(at).toISOString()} test start: ${stableId(t, topSuite(t))}`);
    started.set(t, { at, ...(line ? { line } : {}) });
    opts.onTest?.(t.titlePath().join(' > '));
  });
  runner.on('test end', (t) => {
    opts.onTest?.(undefined);
    const from = started.get(t)?.line;
    const o = outcomeOf.get(t);
    const to = opts.mark?.(
      `${new Date().toISOString()} test end: ${stableId(t, topSuite(t))} ${o?.state ?? t.state ?? ''}`.trimEnd(),
    );
    if (o && from && to) o.console = { fromLine: from, toLine: to };
  });
  const grep = (t: Mocha.Test) => {
    const r = runner as unknown as { _grep?: RegExp; _invert?: boolean };
    return !r._grep || r._grep.test(t.fullTitle()) !== Boolean(r._invert);
  };

  runner.on('suite', (s) => {
    if (s.parent?.root && s.title && !(s.title in c.suiteStarts)) c.suiteStarts[s.title] = Date.now();
  });
  runner.on('hook end', (h) =>
    c.hooks.push({ suite: topSuite(h), name: hookName(h), durationMs: h.duration ?? 0, failed: false }),
  );
  runner.on('pass', (t) => push(t, { title: t.title, state: 'passed', durationMs: t.duration ?? 0 }));
  runner.on('pending', (t) => {
    if (opts.planned && !opts.planned.has(t.titlePath().join(' > '))) return;
    const reason = skipReason(t) ?? 'skipped without a reason';
    c.skipReasons.set(t.titlePath().join(' > '), reason);
    push(t, { title: t.title, state: 'skipped', durationMs: 0, message: reason });
  });
  runner.on('fail', (t, err) => {
    // The console reporter prints at the end of the run: a lab problem shows there as one line
    // (part, code, cause); its stack stays in the Allure report, which has already taken it.
    if (verdictOf(err) === 'broken' && isRigError(err)) oneLine(err);
    // A board failure that names its code (BootFailure: a hang, a panic; a RigError the board
    // owns, e.g. GUEST_NO_ANSWER) shows the same way: the stack of an assertion inside iommu-lab
    // says nothing about the board.
    const named = (err as { failure?: unknown })?.failure;
    const failure = typeof named === 'string' ? named : isRigError(err) ? err.code : undefined;
    if (verdictOf(err) === 'failed' && typeof failure === 'string') boardLine(err, failure);
    else if (err instanceof Error) noFrames(err);
    const message = redact(err?.message ?? String(err));
    const { code, diagnoses } = diagnosesOf(err);
    const coded = { ...(code ? { code } : {}), ...(diagnoses.length ? { diagnoses } : {}) };
    if ((t.type as string) !== 'hook') {
      push(t, { title: t.title, state: verdictOf(err), durationMs: t.duration ?? 0, message, ...coded });
      return;
    }
    const name = hookName(t);
    c.hooks.push({ suite: topSuite(t), name, durationMs: t.duration ?? 0, failed: true });
    const affected =
      name.startsWith('before all') && t.parent
        ? testsUnder(t.parent).filter((x) => !x.state && !x.isPending() && grep(x))
        : [];
    if (!affected.length) {
      push(t, { title: name, state: verdictOf(err), durationMs: t.duration ?? 0, message, ...coded, hook: true });
      return;
    }
    failAffected(runner, affected, name, err);
  });
  return c;
}

/**
 * The tests a failed `before all` kept from running, each failed with the cause — as a test
 * failure when the board is to blame (its boot failed), as broken when the lab is.
 */
function failAffected(runner: Mocha.Runner, tests: Mocha.Test[], hook: string, cause: Error): void {
  const text = `not run: its set-up "${hook}" failed: ${cause?.message ?? String(cause)}`;
  const code = (cause as { code?: string })?.code;
  const failure = (cause as { failure?: unknown })?.failure;
  for (const t of tests) {
    const err: Error & { code?: string; part?: string; failure?: unknown } =
      verdictOf(cause) === 'failed' ? new AssertionError({ message: text }) : new Error(text);
    if (code) err.code = code;
    if (failure) err.failure = failure;
    carryDiagnoses(err, carriedDiagnoses(cause));
    err.stack = `${err.name}: ${text}`;
    t.state = 'failed';
    runner.failures++;
    runner.emit('test', t);
    runner.emit('fail', t, err);
    runner.emit('test end', t);
    // Every listener has taken the whole cause (Allure, JUnit, summary.json); the console
    // reporter prints its failures at the end, where the hook's own entry already shows the
    // cause once: the tests it kept from running say so in one short line each.
    const short = `not run: its set-up "${hook}" failed (the cause is printed with the hook)`;
    err.message = short;
    err.stack = short;
  }
}

function boardLine(err: Error, code: string): void {
  err.message = redact(err.message);
  err.stack = `${codeInfo(code)?.part ?? 'board'} failure (${code}): ${err.message}`;
  hideCause(err);
}

function oneLine(err: RigError): void {
  err.message = redact(err.message);
  err.stack = rigErrorLine(err);
  hideCause(err);
}

/** Any other failure (an assertion, a bug): its message as it is, its stack frames left to Allure. */
function noFrames(err: Error): void {
  if (err.stack) err.stack = err.stack.replace(/^\s+at .*(?:\n|$)/gm, '').trimEnd();
  hideCause(err);
}

/** Mocha prints an error's `cause` chain with each stack ("Caused by: …  at …"): not on the console. */
function hideCause(err: Error): void {
  Object.defineProperty(err, 'cause', { value: undefined, configurable: true, writable: true, enumerable: false });
}
