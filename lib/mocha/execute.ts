// Runs the chosen suites in-process with mocha + allure-mocha for one Run, then writes JUnit and
// summary.json and prints the summary. Returns the exit code (0 passed, 1 failed, 2 broken).
import { writeFileSync } from 'node:fs';
import AllureMochaReporter from 'allure-mocha';
import Mocha from 'mocha';
import { toJUnit } from '../report/junit.ts';
import { measurements, resetMeasurements } from '../report/measurements.ts';
import { collectOutcomes, type TestOutcome } from '../report/results.ts';
import { buildSummary, formatSummary, writeSummary } from '../report/summary.ts';
import type { Run } from '../run/run.ts';
import { onShutdown } from '../session/shutdown.ts';
import { rootHooksFor } from './root-hooks.ts';
import type { FoundSuite } from './suites.ts';

export interface ExecuteOptions {
  suites: FoundSuite[];
  grep?: string;
  /** The console reporter mocha prints through (spec in a TTY and in CI). */
  consoleReporter?: string;
}

export async function executeRun(run: Run, o: ExecuteOptions): Promise<number> {
  const startedAt = new Date();
  const { rig, runDir } = run.opts;
  resetMeasurements();
  const mocha = new Mocha({
    reporter: AllureMochaReporter as unknown as string,
    reporterOptions: { resultsDir: runDir.allureResults, extraReporters: o.consoleReporter ?? 'spec' },
    timeout: 0,
    grep: o.grep,
    rootHooks: rootHooksFor(run),
  });
  for (const s of o.suites) {
    // What mocha does per loaded file: BDD globals bound to this file, then the file's body.
    mocha.suite.emit('pre-require', globalThis, s.file, mocha);
    s.body(run);
  }
  let outcomes: TestOutcome[] = [];
  const writeReports = (interrupted?: string) => {
    const summary = buildSummary({
      rig: rig.name,
      startedAt,
      outcomes,
      measurements: measurements(),
      boot: run.bootIfOpened?.record,
      firmware: run.firmware,
      runDir,
      interrupted,
    });
    writeFileSync(runDir.junit, toJUnit(outcomes, `iommu-lab ${rig.name}`));
    writeSummary(summary, runDir.summary);
    console.log(formatSummary(summary));
    return summary;
  };
  // Registered before the session's own cleanup, so it runs after it: a cancelled job still
  // gets its summary and JUnit, with what finished and what the bench's teardown said.
  const removeShutdown = onShutdown(async (why) => writeReports(why));
  try {
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      outcomes = collectOutcomes(runner);
    });
  } finally {
    removeShutdown();
  }
  return writeReports().exitCode;
}
