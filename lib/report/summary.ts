// summary.json: the machine-readable verdict of a run (its contract: summary-schema.ts). What the
// console prints of it at the end is summary-text.ts.
import { relative } from 'node:path';
import type { BootRecord } from '../boot/record.ts';
import { codeInfo } from '../core/error-codes.ts';
import { parseFirmwareLog } from '../firmware/banner.ts';
import { settingsAtBoot } from '../firmware/boot-settings.ts';
import { buildDateOf, flavourOfConsole } from '../firmware/flavour.ts';
import type { FirmwareInfo } from '../firmware/running.ts';
import { flavourOfSmbios } from '../firmware/smbios.ts';
import type { HookTime } from './collect.ts';
import { consoleLineOf, consoleLines } from './console-lines.ts';
import { type IommuFacts, iommuFacts } from './iommu-facts.ts';
import { betterOf, meets, type Recorded } from './measurements.ts';
import { type PlatformFacts, platformFacts } from './platform.ts';
import { suiteVerdicts, type TestOutcome } from './results.ts';
import type { RunDir } from './run-dir-layout.ts';
import { type RunSummary, SCHEMA_VERSION } from './summary-schema.ts';
import { hostName, type ToolInfo, toolInfo } from './tool.ts';
import { writeReportFile } from './write-report-file.ts';

export type { RunSummary };

import { EXIT, exitCodeForStates, type TestState } from '../core/exit-code.ts';

export interface SummaryInput {
  rig: string;
  startedAt: Date;
  outcomes: TestOutcome[];
  hooks?: HookTime[];
  measurements: readonly Recorded[];
  firmware?: FirmwareInfo;
  boot?: BootRecord;
  /** What the board fetched from iommu-lab's boot server (lib/pxe), in order. */
  served?: { path: string; bytes: number; ms: number; client?: string; complete?: boolean }[];
  /** The served image set, from its manifest (lib/pxe/served-manifest.ts). */
  images?: RunSummary['images'];
  /** Facts a suite noted (from `xl info`); the boot's serial capture fills the rest. */
  platform?: Partial<PlatformFacts>;
  /** IOMMU facts a suite noted (iommu-detection); the boot's serial capture fills the rest. */
  iommu?: Partial<IommuFacts>;
  runDir: RunDir;
  interrupted?: string;
  tool?: ToolInfo;
  /** console.log as written (its text), to give each diagnosis the line it was seen on. */
  consoleLog?: string;
}

/** A test's diagnoses as summary.json states them: whose problem each is, and its console.log line. */
function diagnosesOf(o: TestOutcome, lines: readonly string[]): RunSummary['tests'][number]['diagnoses'] {
  return (o.diagnoses ?? []).map((d) => {
    const line = d.text ? consoleLineOf(lines, d.text, o.console) : undefined;
    return { code: d.code, severity: d.severity, owner: codeInfo(d.code)?.owner ?? 'lab', ...(line ? { line } : {}) };
  });
}

function firmwareOf(i: SummaryInput): RunSummary['firmware'] {
  const log = i.boot?.firmwareLog ?? '';
  const b = log ? parseFirmwareLog(log) : undefined;
  const banner = b && {
    board: b.board,
    version: b.version,
    corebootBuild: b.corebootBuild,
    buildDate: buildDateOf(b.corebootBuild),
    seabios: b.seabiosVersion,
  };
  const flashed = i.firmware?.flashed;
  // The console tells what ran; the flashed image what was meant to (a UEFI build names no version
  // on serial: dom0's SMBIOS does, when the boot reached dom0).
  const seen = b && flavourOfConsole(b, log);
  const fromDom0 = !b?.version && i.boot?.smbios ? flavourOfSmbios(i.boot.smbios) : undefined;
  const atBoot = log ? settingsAtBoot(log) : undefined;
  const onChip = i.firmware?.settings
    ? Object.fromEntries(Object.entries(i.firmware.settings).filter(([, v]) => typeof v === 'boolean'))
    : undefined;
  return {
    version: banner?.version ?? fromDom0?.version ?? flashed?.version ?? null,
    flavour: seen?.flavour ?? fromDom0?.flavour ?? flashed?.flavour ?? null,
    versionFrom: banner?.version
      ? (seen?.versionFrom ?? 'console')
      : fromDom0
        ? fromDom0.versionFrom
        : flashed?.version
          ? (flashed.versionFrom ?? 'image')
          : null,
    ...(flashed ? { sha256: flashed.sha256, source: flashed.source, flashedVersion: flashed.version ?? null } : {}),
    ...(flashed?.release ? { release: { ...flashed.release } } : {}),
    banner: banner ?? null,
    settings: {
      ...(onChip ? { onChip: onChip as Record<string, boolean> } : {}),
      ...(b && Object.keys(b.settings).length ? { menu: b.settings } : {}),
      ...(atBoot && Object.keys(atBoot).length ? { atBoot } : {}),
    },
    warnings: [...(i.firmware?.warnings ?? [])],
  };
}

/** Stage timings with the boot each belongs to: a boot starts at each "firmware" stage. */
function numberedTimings(rec: BootRecord): NonNullable<RunSummary['boot']>['timings'] {
  let boot = 0;
  return rec.timings.map((t, n) => {
    if (t.stage === 'firmware' || n === 0) boot++;
    return { stage: t.stage, ms: t.ms, attempt: t.attempt, boot };
  });
}

export function buildSummary(i: SummaryInput): RunSummary {
  const exitCode = i.interrupted ? EXIT.lab : exitCodeForStates(i.outcomes.map((o) => o.state));
  const hooks = i.hooks ?? [];
  const suites: RunSummary['suites'] = {};
  for (const [name, verdict] of Object.entries(suiteVerdicts(i.outcomes))) {
    const l = i.outcomes.filter((o) => o.suite === name);
    const n = (s: TestState) => l.filter((o) => o.state === s).length;
    const hookMs = hooks.filter((h) => h.suite === name).reduce((a, h) => a + h.durationMs, 0);
    const file = l.find((o) => o.file)?.file;
    suites[name] = {
      verdict,
      tests: l.length,
      passed: n('passed'),
      failed: n('failed'),
      broken: n('broken'),
      skipped: n('skipped'),
      durationMs: l.reduce((a, o) => a + o.durationMs, 0) + hookMs,
      ...(file ? { file } : {}),
    };
  }
  const rel = (p: string) => relative(i.runDir.root, p) || '.';
  const lines = i.consoleLog ? consoleLines(i.consoleLog) : [];
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: i.tool ?? toolInfo(),
    host: hostName(),
    rig: i.rig,
    startedAt: i.startedAt.toISOString(),
    durationMs: Math.max(0, Date.now() - i.startedAt.getTime()),
    exitCode,
    ...(i.interrupted ? { interrupted: i.interrupted } : {}),
    verdict: exitCode === 0 ? 'passed' : exitCode === 1 ? 'failed' : 'broken',
    firmware: firmwareOf(i),
    platform: platformFacts(i.platform ?? {}, i.boot?.xenLog ?? ''),
    ...(() => {
      const f = iommuFacts(i.iommu ?? {}, i.boot?.xenLog ?? '');
      return f ? { iommu: f } : {};
    })(),
    suites,
    tests: i.outcomes.map((o, n) => ({
      id: o.id ?? `${o.suite}/${n}`,
      suite: o.suite,
      title: o.title,
      state: o.state,
      ...(o.startedAt ? { startedAt: new Date(o.startedAt).toISOString() } : {}),
      durationMs: o.durationMs,
      ...(o.message ? { message: o.message } : {}),
      ...(o.code ? { code: o.code } : {}),
      diagnoses: diagnosesOf(o, lines),
      ...(o.console ? { console: { ...o.console } } : {}),
      ...(o.hook ? { hook: true } : {}),
    })),
    measurements: i.measurements.map((m) => {
      const met = meets(m.value, m.threshold);
      const better = betterOf(m);
      const test = m.test ? i.outcomes.find((o) => o.titlePath === m.test)?.id : undefined;
      return {
        suite: m.suite,
        name: m.name,
        value: m.value,
        unit: m.unit,
        ...(m.threshold ? { threshold: m.threshold } : {}),
        ...(met === undefined ? {} : { met }),
        ...(better ? { better } : {}),
        ...(test ? { test } : {}),
      };
    }),
    ...(i.boot
      ? {
          boot: {
            assumed: i.boot.assumed,
            attempts: i.boot.attempts,
            timings: numberedTimings(i.boot),
            hangs: i.boot.hangs.map((h) => ({ ...h })),
            ...(i.served?.length ? { served: i.served.map((f) => ({ ...f })) } : {}),
          },
        }
      : {}),
    ...(i.images ? { images: { ...i.images } } : {}),
    problems: i.outcomes
      .filter((o) => o.state === 'failed' || o.state === 'broken')
      .map((o) => ({
        ...(o.id ? { id: o.id } : {}),
        suite: o.suite,
        test: o.title,
        state: o.state,
        ...(o.code ? { code: o.code } : {}),
        message: o.message ?? '',
      })),
    artifacts: {
      allureResults: rel(i.runDir.allureResults),
      junit: rel(i.runDir.junit),
      transcript: rel(i.runDir.transcript),
      summary: rel(i.runDir.summary),
    },
  };
}

export function writeSummary(s: RunSummary, path: string): void {
  writeReportFile(path, `${JSON.stringify(s, null, 2)}\n`);
}
