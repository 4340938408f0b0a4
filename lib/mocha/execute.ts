// Runs the chosen suites in-process with mocha + allure-mocha for one Run, then writes JUnit,
// summary.json and what Allure needs beside its results (skip reasons, run facts, metrics), and
// prints the summary. Returns the exit code (0 passed, 1 failed, 2 broken).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import AllureMochaReporter from 'allure-mocha';
import Mocha from 'mocha';
import { terminal } from '../core/color.ts';
import { RigError, rigErrorLine } from '../core/errors.ts';
import { EXIT } from '../core/exit-code.ts';
import { redact, redactWrites } from '../core/redact.ts';
import {
  bootMeasurement,
  writeEnvironment,
  writeHookNames,
  writePerfMetrics,
  writeSkipReasons,
  writeTestIdentity,
  writeTestMeta,
  writeVerdictFirst,
} from '../report/allure-results.ts';
import { type Collected, collectOutcomes } from '../report/collect.ts';
import { reportsNotWritten, toJUnit } from '../report/junit.ts';
import { runFacts } from '../report/run-facts.ts';
import { buildSummary, formatSummary, writeSummary } from '../report/summary.ts';
import { writeReportFile } from '../report/write-report-file.ts';
import type { Run } from '../run/run.ts';
import { onShutdown } from '../session/shutdown.ts';
import { declareSuites } from './declared.ts';
import { rootHooksFor } from './root-hooks.ts';
import type { FoundSuite } from './suites.ts';

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
  const { rig, runDir } = run.opts;
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
  const writeReports = (interrupted?: string) => {
    const summary = buildSummary({
      rig: rig.name,
      startedAt,
      outcomes: c.outcomes,
      hooks: c.hooks,
      measurements: run.measurements.list(),
      boot: run.bootIfOpened?.record,
      served: run.served,
      images: run.images,
      firmware: run.firmware,
      platform: run.platform,
      iommu: run.iommu,
      runDir,
      interrupted,
      consoleLog: existsSync(runDir.transcript) ? readFileSync(runDir.transcript, 'latin1') : undefined,
    });
    const facts = runFacts(summary);
    try {
      writeFiles(summary, facts);
    } catch (e) {
      // A full or vanished report dir: say so in one line; the verdict below still prints.
      const err = new RigError(
        `cannot write the reports into ${runDir.root}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        { code: 'REPORT_WRITE', part: 'host' },
      );
      console.log(`iommu-lab: ${rigErrorLine(err)}`);
      summary.exitCode = EXIT.lab;
      summary.verdict = 'broken';
      // summary.json and junit.xml must say the run is broken, not what it was before the failure.
      try {
        writeSummary(summary, runDir.summary);
      } catch {
        rmSync(runDir.summary, { force: true });
      }
      try {
        writeReportFile(runDir.junit, reportsNotWritten(`iommu-lab ${rig.name}`, err.message));
      } catch {
        rmSync(runDir.junit, { force: true });
      }
    }
    console.log(redact(formatSummary(summary, runDir.root)));
    return summary;
  };
  const writeFiles = (summary: ReturnType<typeof buildSummary>, facts: ReturnType<typeof runFacts>) => {
    const transcript = relative(process.cwd(), runDir.transcript);
    // Each file whole or not at all (temp + rename), the summary before the JUnit: a disk that
    // fills up part way never leaves a passing junit.xml beside a missing summary (#24 N18).
    writeSummary(summary, runDir.summary);
    writeReportFile(
      runDir.junit,
      toJUnit(c.outcomes, {
        name: `iommu-lab ${rig.name}`,
        startedAt,
        durationMs: summary.durationMs,
        hostname: summary.host,
        properties: facts,
        transcript: transcript.startsWith('..') ? runDir.transcript : transcript,
        hooks: c.hooks,
        suiteStarts: c.suiteStarts,
        measurements: run.measurements.list(),
      }),
    );
    writeSkipReasons(runDir.allureResults, c.skipReasons);
    writeHookNames(runDir.allureResults);
    writeTestIdentity(runDir.allureResults, c.outcomes);
    writeTestMeta(runDir.allureResults, declared);
    writeVerdictFirst(runDir.allureResults);
    writeEnvironment(runDir.allureResults, facts);
    const boot = bootMeasurement(summary);
    writePerfMetrics(runDir.allureResults, [...(boot ? [boot] : []), ...run.measurements.list()]);
  };
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
