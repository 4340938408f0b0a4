// summary.json: the machine-readable verdict of a run, and the human summary printed at its end.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { BootRecord } from '../boot/record.ts';
import { EXIT, type ExitCode, exitCodeForStates, type TestState } from '../core/exit-code.ts';
import type { FirmwareInfo } from '../firmware/running.ts';
import type { RunDir } from '../session/run-dir.ts';
import { type Measurement, round } from './measurements.ts';
import { suiteVerdicts, type TestOutcome } from './results.ts';

export interface RunSummary {
  rig: string;
  startedAt: string;
  durationMs: number;
  exitCode: ExitCode;
  /** Set when a signal ended the run before its suites did ('SIGTERM', 'SIGINT', ...). */
  interrupted?: string;
  verdict: 'passed' | 'failed' | 'broken';
  firmware: { sha256?: string; version?: string; source?: string; settings?: Record<string, boolean | undefined> };
  suites: Record<
    string,
    {
      verdict: TestState;
      tests: number;
      passed: number;
      failed: number;
      broken: number;
      skipped: number;
      durationMs: number;
    }
  >;
  measurements: Measurement[];
  boot?: Pick<BootRecord, 'attempts' | 'timings' | 'hangs'> & { assumed: boolean };
  problems: { suite: string; test: string; state: TestState; message: string }[];
  artifacts: { dir: string; allureResults: string; junit: string; transcript: string };
}

export interface SummaryInput {
  rig: string;
  startedAt: Date;
  outcomes: TestOutcome[];
  measurements: readonly Measurement[];
  firmware?: FirmwareInfo;
  boot?: BootRecord;
  runDir: RunDir;
  interrupted?: string;
}

export function buildSummary(i: SummaryInput): RunSummary {
  const exitCode = i.interrupted ? EXIT.lab : exitCodeForStates(i.outcomes.map((o) => o.state));
  const suites: RunSummary['suites'] = {};
  for (const [name, verdict] of Object.entries(suiteVerdicts(i.outcomes))) {
    const l = i.outcomes.filter((o) => o.suite === name);
    const n = (s: TestState) => l.filter((o) => o.state === s).length;
    suites[name] = {
      verdict,
      tests: l.length,
      passed: n('passed'),
      failed: n('failed'),
      broken: n('broken'),
      skipped: n('skipped'),
      durationMs: l.reduce((a, o) => a + o.durationMs, 0),
    };
  }
  return {
    rig: i.rig,
    startedAt: i.startedAt.toISOString(),
    durationMs: Date.now() - i.startedAt.getTime(),
    exitCode,
    ...(i.interrupted ? { interrupted: i.interrupted } : {}),
    verdict: exitCode === 0 ? 'passed' : exitCode === 1 ? 'failed' : 'broken',
    firmware: { ...i.firmware?.flashed, settings: i.firmware?.settings },
    suites,
    measurements: [...i.measurements],
    boot: i.boot && {
      attempts: i.boot.attempts,
      timings: i.boot.timings,
      hangs: i.boot.hangs,
      assumed: i.boot.assumed,
    },
    problems: i.outcomes
      .filter((o) => o.state === 'failed' || o.state === 'broken')
      .map((o) => ({ suite: o.suite, test: o.title, state: o.state, message: o.message ?? '' })),
    artifacts: {
      dir: i.runDir.root,
      allureResults: i.runDir.allureResults,
      junit: i.runDir.junit,
      transcript: i.runDir.transcript,
    },
  };
}

export function writeSummary(s: RunSummary, path: string): void {
  writeFileSync(path, JSON.stringify(s, null, 2) + '\n');
}

export function formatSummary(s: RunSummary): string {
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  const mark: Record<TestState, string> = { passed: 'PASS', failed: 'FAIL', broken: 'BROKEN', skipped: 'SKIP' };
  const out = [
    '',
    `iommu-lab: ${s.verdict.toUpperCase()} on rig ${s.rig} in ${(s.durationMs / 1000).toFixed(0)} s (exit ${s.exitCode})${s.interrupted ? `, interrupted by ${s.interrupted}` : ''}`,
  ];
  if (s.firmware.sha256)
    out.push(`  firmware: ${s.firmware.version ?? 'unknown version'} sha256 ${s.firmware.sha256.slice(0, 16)}…`);
  for (const [name, v] of Object.entries(s.suites))
    out.push(
      `  ${mark[v.verdict].padEnd(6)} ${name.padEnd(22)} ${v.passed}/${v.tests} passed${v.skipped ? `, ${v.skipped} skipped` : ''}`,
    );
  if (s.measurements.length) out.push('  measurements:');
  for (const m of s.measurements)
    out.push(`    ${m.suite}: ${m.name} = ${round(m.value)} ${m.unit}${m.threshold ? ` (${m.threshold})` : ''}`);
  if (s.boot?.timings.length)
    out.push(
      `  boot: ${s.boot.timings.map((t) => `${t.stage} ${(t.ms / 1000).toFixed(1)}s`).join(', ')}${s.boot.hangs.length ? `; ${s.boot.hangs.length} hang(s)` : ''}`,
    );
  for (const p of s.problems) out.push(`  ${mark[p.state]}: ${p.suite} › ${p.test}: ${p.message.split('\n')[0]}`);
  out.push(
    `  report: ${rel(s.artifacts.dir)} (summary.json, junit.xml, console.log; \`iommu-lab report --dir ${rel(s.artifacts.dir)}\` for HTML)`,
  );
  return out.join('\n');
}
