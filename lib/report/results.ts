// Collects what happened to every test from mocha's runner events, with our two kinds of
// failure: "failed" (an assertion: the board is bad) and "broken" (the lab is bad), as decided
// by lib/core/exit-code.ts.
import type Mocha from 'mocha';
import { isRigError, type RigError, rigErrorLine } from '../core/errors.ts';
import { type TestState, verdictOf } from '../core/exit-code.ts';
import { redact } from '../core/redact.ts';

export interface TestOutcome {
  suite: string;
  title: string;
  state: TestState;
  durationMs: number;
  message?: string;
  /** RigError code or diagnosis code, when known. */
  code?: string;
}

const skipReasons = new Map<string, string>();

/** Suites skipped for a cause (bench broken, capability missing) say why in every report. */
export function recordSkipReason(suite: string, reason: string): void {
  skipReasons.set(suite, reason);
}

function topSuite(t: Mocha.Runnable): string {
  let s: Mocha.Suite | undefined = t.parent;
  while (s?.parent && !s.parent.root) s = s.parent;
  return s?.title || '(root)';
}

export function collectOutcomes(runner: Mocha.Runner): TestOutcome[] {
  const out: TestOutcome[] = [];
  runner.on('pass', (t) =>
    out.push({ suite: topSuite(t), title: t.title, state: 'passed', durationMs: t.duration ?? 0 }),
  );
  runner.on('pending', (t) => {
    const suite = topSuite(t);
    out.push({ suite, title: t.title, state: 'skipped', durationMs: 0, message: skipReasons.get(suite) });
  });
  runner.on('fail', (t, err) => {
    // The console reporter prints at the end of the run: a lab problem shows there as one line
    // (part, code, cause); its stack stays in the Allure report, which has already taken it.
    if (verdictOf(err) === 'broken' && isRigError(err)) oneLine(err);
    const title =
      (t.type as string) === 'hook' ? t.title.replace(/^"(before|after) (all|each)" hook(: )?/, '$1 $2: ') : t.title;
    out.push({
      suite: topSuite(t),
      title,
      state: verdictOf(err),
      durationMs: t.duration ?? 0,
      message: redact(err?.message ?? String(err)),
      code: (err as { code?: string })?.code,
    });
  });
  return out;
}

function oneLine(err: RigError): void {
  err.message = redact(err.message);
  err.stack = rigErrorLine(err);
}

export function suiteVerdicts(outcomes: TestOutcome[]): Record<string, TestState> {
  const v: Record<string, TestState> = {};
  const rank: Record<TestState, number> = { broken: 3, failed: 2, passed: 1, skipped: 0 };
  for (const o of outcomes) if (!(o.suite in v) || rank[o.state] > rank[v[o.suite]!]) v[o.suite] = o.state;
  return v;
}
