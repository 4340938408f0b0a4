// A run's reports, written once at its end (or when it is cancelled): summary.json, then JUnit,
// then what Allure needs beside its own results (skip reasons, hook names, test identity and
// meta, the environment, metrics); then the verdict printed. A report folder that cannot be
// written is one REPORT_WRITE line and a broken verdict, never a passing junit.xml left behind.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { RigError, rigErrorLine } from '../core/errors.ts';
import { EXIT } from '../core/exit-code.ts';
import { redact } from '../core/redact.ts';
import type { DeclaredTest } from '../mocha/declared.ts';
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
import type { Collected } from '../report/collect.ts';
import { reportsNotWritten, toJUnit } from '../report/junit.ts';
import { runFacts } from '../report/run-facts.ts';
import { buildSummary, writeSummary } from '../report/summary.ts';
import { formatSummary } from '../report/summary-text.ts';
import { writeReportFile } from '../report/write-report-file.ts';
import type { Run } from './run.ts';

export interface RunResults {
  startedAt: Date;
  collected: Collected;
  declared: DeclaredTest[];
  /** Why the run was cut short (a signal), when it was. */
  interrupted?: string;
}

type Summary = ReturnType<typeof buildSummary>;
type RunFacts = ReturnType<typeof runFacts>;

/** Writes every report of the run and prints its summary; returns the summary (its exit code). */
export function writeRunReports(run: Run, r: RunResults): Summary {
  const { rig, runDir } = run.opts;
  const c = r.collected;
  const { startedAt, interrupted } = r;
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
    writeFiles(run, r, summary, facts);
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
}

function writeFiles(run: Run, r: RunResults, summary: Summary, facts: RunFacts): void {
  const { rig, runDir } = run.opts;
  const c = r.collected;
  const declared = r.declared;
  const startedAt = r.startedAt;
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
}
