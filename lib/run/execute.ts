// Runs the chosen suites in-process with mocha + allure-mocha for one Run: declares them with
// their ids, opens and boots through the root hooks, collects outcomes as they come, then writes
// the run's reports (write-reports.ts) — also when the run is cancelled. Returns the exit code
// (0 passed, 1 failed, 2 broken).
import AllureMochaReporter from 'allure-mocha';
import Mocha from 'mocha';
import { terminal } from '../core/color.ts';
import { redactWrites } from '../core/redact.ts';
import { declareSuites } from '../mocha/declared.ts';
import type { FoundSuite } from '../mocha/suites.ts';
import { type Collected, collectOutcomes } from '../report/collect.ts';
import { onShutdown } from '../session/shutdown.ts';
import { rootHooksFor } from './root-hooks.ts';
import type { Run } from './run.ts';
import { writeRunReports } from './write-reports.ts';

export interface ExecuteOptions {
  suites: FoundSuite[];
  grep?: string;
  /** The console reporter mocha prints through (spec in a TTY and in CI). */
  consoleReporter?: string;
  /**
   * An Allure test plan (run --rerun-failed): allure-mocha runs only the tests it selects and
   * leaves the others pending; `planned` (their title paths) keeps those out of every report.
   */
  plan?: { path: string; planned: ReadonlySet<string> };
}

export async function executeRun(run: Run, o: ExecuteOptions): Promise<number> {
  const startedAt = new Date();
  const { runDir } = run.opts;
  const mocha = new Mocha({
    reporter: AllureMochaReporter as unknown as string,
    reporterOptions: { resultsDir: runDir.allureResults, extraReporters: o.consoleReporter ?? 'spec' },
    timeout: 0,
    grep: o.grep,
    rootHooks: rootHooksFor(run),
    // NO_COLOR and TERM=dumb: mocha's reporters colour whenever supports-color says a TTY can.
    ...(terminal(process.stdout).color ? {} : { color: false }),
  });
  const declared = declareSuites(mocha, o.suites, run);
  let c: Collected = { outcomes: [], hooks: [], skipReasons: new Map(), suiteStarts: {} };
  const writeReports = (interrupted?: string) =>
    writeRunReports(run, { startedAt, collected: c, declared, interrupted });
  // Registered before the session's own cleanup, so it runs after it: a cancelled job still
  // gets its summary and JUnit, with what finished and what the bench's teardown said.
  const removeShutdown = onShutdown(async (why) => writeReports(why));
  // Mocha's reporter prints failure messages (which may quote the console) straight to stdout.
  const unmask = [redactWrites(process.stdout), redactWrites(process.stderr)];
  // allure-mocha reads the plan when mocha.run() makes its reporter (parseTestPlan).
  const planBefore = process.env.ALLURE_TESTPLAN_PATH;
  if (o.plan) process.env.ALLURE_TESTPLAN_PATH = o.plan.path;
  else delete process.env.ALLURE_TESTPLAN_PATH;
  try {
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      c = collectOutcomes(runner, {
        mark: (text) => run.markConsole(text),
        onTest: (t) => run.measurements.testing(t),
        planned: o.plan?.planned,
      });
    });
  } finally {
    if (planBefore === undefined) delete process.env.ALLURE_TESTPLAN_PATH;
    else process.env.ALLURE_TESTPLAN_PATH = planBefore;
    removeShutdown();
    for (const u of unmask) u();
  }
  return writeReports().exitCode;
}
