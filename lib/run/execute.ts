// Runs the hardware suites in-process with mocha + allure-mocha, then writes JUnit and
// summary.json and prints the summary. Returns the exit code (0 passed, 1 failed, 2 broken).
import { writeFileSync } from 'node:fs';
import AllureMochaReporter from 'allure-mocha';
import Mocha from 'mocha';
import type { BootRecord } from '../boot/record.ts';
import { mochaHooks } from '../mocha/root-hooks.ts';
import { toJUnit } from '../report/junit.ts';
import { measurements, resetMeasurements } from '../report/measurements.ts';
import { collectOutcomes } from '../report/results.ts';
import { buildSummary, formatSummary, writeSummary } from '../report/summary.ts';
import type { FirmwareInfo } from '../session/lab.ts';
import { maybeLab, type RunOptions, setRunOptions } from '../session/lab.ts';

export interface ExecuteOptions extends RunOptions {
  files: string[];
  grep?: string;
  /** The console reporter mocha prints through (spec in a TTY and in CI). */
  consoleReporter?: string;
}

export async function executeRun(o: ExecuteOptions): Promise<number> {
  const startedAt = new Date();
  resetMeasurements();
  setRunOptions(o);
  const mocha = new Mocha({
    reporter: AllureMochaReporter as unknown as string,
    reporterOptions: { resultsDir: o.runDir.allureResults, extraReporters: o.consoleReporter ?? 'spec' },
    timeout: 0,
    grep: o.grep,
    rootHooks: mochaHooks,
  });
  for (const f of o.files) mocha.addFile(f);
  await mocha.loadFilesAsync();
  let boot: BootRecord | undefined;
  let firmware: FirmwareInfo | undefined;
  const outcomes = await new Promise<ReturnType<typeof collectOutcomes>>((resolve) => {
    const runner = mocha.run(() => resolve(list));
    const list = collectOutcomes(runner);
    // The lab is gone after the root afterAll; keep what the summary needs before that.
    runner.on('suite end', () => {
      const l = maybeLab();
      if (l) {
        boot = l.boot.record;
        firmware = l.firmware;
      }
    });
  });
  setRunOptions(undefined);
  const summary = buildSummary({
    rig: o.rig.name,
    startedAt,
    outcomes,
    measurements: measurements(),
    boot,
    firmware,
    runDir: o.runDir,
  });
  writeFileSync(o.runDir.junit, toJUnit(outcomes, `iommu-lab ${o.rig.name}`));
  writeSummary(summary, o.runDir.summary);
  console.log(formatSummary(summary));
  return summary.exitCode;
}
