// What a run adds to its allure-results/ once mocha is done, for Allure to show:
//  - every skip's reason instead of allure-mocha's fixed "Test skipped";
//  - environment.properties: the run's facts (rig, firmware, Xen, dom0 kernel, tool, host);
//  - iommu-lab-perf.json: the measurements as Allure metrics, whose history shows their trend.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../core/redact.ts';
import { betterOf, type Recorded } from './measurements.ts';
import type { TestOutcome } from './results.ts';
import type { RunSummary } from './summary-schema.ts';
import { writeReportFile } from './write-report-file.ts';

const ALLURE_SKIP = 'Test skipped';

/**
 * One Allure file as JSON, or undefined for one that does not parse (cut short by a killed run,
 * a full disk): it is left alone, and this run's own results are still written (#24 N10).
 */
function readJson<T>(path: string): T | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/** allure-mocha's fullName is "<project>:<file>: <title path joined with ' > '>". */
function titlePathOf(fullName: string): string {
  const at = fullName.indexOf(': ');
  return at < 0 ? fullName : fullName.slice(at + 2);
}

/** Puts each skip's reason into its result file; returns how many it rewrote. */
export function writeSkipReasons(resultsDir: string, reasons: Map<string, string>): number {
  let n = 0;
  for (const f of readdirSync(resultsDir)) {
    if (!f.endsWith('-result.json')) continue;
    const path = join(resultsDir, f);
    const r = readJson<{
      status?: string;
      fullName?: string;
      statusDetails?: { message?: string };
    }>(path);
    if (!r) continue;
    if (r.status !== 'skipped' || (r.statusDetails?.message ?? ALLURE_SKIP) !== ALLURE_SKIP) continue;
    const reason = reasons.get(titlePathOf(r.fullName ?? ''));
    if (!reason) continue;
    r.statusDetails = { ...r.statusDetails, message: redact(reason) };
    writeFileSync(path, JSON.stringify(r));
    n++;
  }
  return n;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * Each test's identity and diagnosis, in its Allure result: its declared id as ALLURE_ID and as
 * the key of its history (a renamed title or moved file keeps its trend), and the code it failed
 * with at the head of its message ("[DMA_NOT_ISOLATED] …"), which the categories generated from
 * lib/core/error-codes.ts match (allure-config.ts). Returns how many results it changed.
 */
export function writeTestIdentity(resultsDir: string, outcomes: readonly TestOutcome[]): number {
  const byPath = new Map(outcomes.filter((o) => o.titlePath).map((o) => [o.titlePath!, o]));
  let n = 0;
  for (const f of readdirSync(resultsDir)) {
    if (!f.endsWith('-result.json')) continue;
    const path = join(resultsDir, f);
    const r = readJson<{
      fullName?: string;
      historyId?: string;
      testCaseId?: string;
      labels?: { name: string; value: string }[];
      statusDetails?: { message?: string };
    }>(path);
    if (!r) continue;
    const o = byPath.get(titlePathOf(r.fullName ?? ''));
    if (!o?.id) continue;
    let changed = false;
    if (o.explicitId) {
      r.labels = [...(r.labels ?? []).filter((l) => l.name !== 'ALLURE_ID'), { name: 'ALLURE_ID', value: o.id }];
      r.testCaseId = md5(`iommu-lab:${o.id}`);
      // allure-js-commons' form "<testCaseId>:<md5 of the parameters>"; our tests have none.
      r.historyId = `${r.testCaseId}:${md5('')}`;
      changed = true;
    }
    const message = r.statusDetails?.message;
    if (o.code && (o.state === 'failed' || o.state === 'broken') && !message?.startsWith(`[${o.code}]`)) {
      r.statusDetails = { ...r.statusDetails, message: `[${o.code}] ${message ?? ''}`.trimEnd() };
      changed = true;
    }
    if (!changed) continue;
    writeFileSync(path, JSON.stringify(r));
    n++;
  }
  return n;
}

/** What a test's declaration says about it (lib/mocha/declared.ts), for Allure to show. */
export interface TestMeta {
  titlePath: string;
  description: string;
  severity: string;
  tags: string[];
}

/**
 * Each test's description (what its suite proves), severity and tags, from its declaration:
 * Allure shows the description above the steps and filters by severity and tag. Labels the test
 * set itself at run time are replaced. Returns how many results it changed.
 */
export function writeTestMeta(resultsDir: string, metas: readonly TestMeta[]): number {
  const byPath = new Map(metas.map((m) => [m.titlePath, m]));
  let n = 0;
  for (const f of readdirSync(resultsDir)) {
    if (!f.endsWith('-result.json')) continue;
    const path = join(resultsDir, f);
    const r = readJson<{
      fullName?: string;
      description?: string;
      labels?: { name: string; value: string }[];
    }>(path);
    const m = r && byPath.get(titlePathOf(r.fullName ?? ''));
    if (!m) continue;
    // Idempotent: the reports may be written twice (a cancelled run, then its end).
    if (!r.description?.startsWith(m.description))
      r.description = r.description ? `${m.description}\n\n${r.description}` : m.description;
    r.labels = [
      ...(r.labels ?? []).filter((l) => l.name !== 'severity' && l.name !== 'tag'),
      { name: 'severity', value: m.severity },
      ...m.tags.map((t) => ({ name: 'tag', value: t })),
    ];
    writeFileSync(path, JSON.stringify(r));
    n++;
  }
  return n;
}

/** How a test names the step that holds its verdict (see `verdictStep` in lib/report/evidence.ts). */
export const VERDICT_STEP = 'verdict: ';

/**
 * A test's verdict step first: the procedure runs assign → boot → probe → verdict, but a reader
 * wants the verdict before the plumbing. Moves top-level steps named "verdict: …" to the front
 * of their test (their order among themselves kept). Returns how many results it changed.
 */
export function writeVerdictFirst(resultsDir: string): number {
  let n = 0;
  for (const f of readdirSync(resultsDir)) {
    if (!f.endsWith('-result.json')) continue;
    const path = join(resultsDir, f);
    const r = readJson<{ steps?: { name?: string }[] }>(path);
    if (!r) continue;
    const steps = r.steps ?? [];
    const isVerdict = (x: { name?: string }) => x.name?.startsWith(VERDICT_STEP) === true;
    const firstOther = steps.findIndex((x) => !isVerdict(x));
    if (firstOther < 0 || !steps.slice(firstOther).some(isVerdict)) continue;
    r.steps = [...steps.filter(isVerdict), ...steps.filter((x) => !isVerdict(x))];
    writeFileSync(path, JSON.stringify(r));
    n++;
  }
  return n;
}

type Fixture = { name?: string };

/**
 * Names set-up and tear-down by what they do: Allure already lists them under "Set up" and
 * "Tear down", so mocha's `"before all" hook: boot the board to dom0` reads as "boot the board
 * to dom0"; an unnamed hook says so (suites should name theirs). Returns how many it renamed.
 */
export function writeHookNames(resultsDir: string): number {
  let n = 0;
  for (const f of readdirSync(resultsDir)) {
    if (!f.endsWith('-container.json')) continue;
    const path = join(resultsDir, f);
    const c = readJson<{ befores?: Fixture[]; afters?: Fixture[] }>(path);
    if (!c) continue;
    let changed = false;
    for (const fx of [...(c.befores ?? []), ...(c.afters ?? [])]) {
      const m = /^"(before|after) (all|each)" hook(?::\s*(.+?))?(?: in "[^"]*")?$/.exec(fx.name ?? '');
      if (!m) continue;
      fx.name = m[3] ?? `unnamed "${m[1]} ${m[2]}" hook`;
      changed = true;
      n++;
    }
    if (changed) writeFileSync(path, JSON.stringify(c));
  }
  return n;
}

/** Java-properties escaping: in a key, a space, = or : would end it. */
const prop = (s: string, key = false) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(key ? /([ =:#!])/g : /([=:#!])/g, '\\$1');

export function writeEnvironment(resultsDir: string, facts: Record<string, string | null | undefined>): void {
  const lines = Object.entries(facts)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${prop(k, true)}=${prop(redact(String(v)))}`);
  writeReportFile(join(resultsDir, 'environment.properties'), `${lines.join('\n')}\n`);
}

/** The run's first boot, power-on to dom0, as a measurement: its trend shows a firmware or bench drift. */
export function bootMeasurement(s: Pick<RunSummary, 'boot' | 'startedAt'>): Recorded | undefined {
  const first = (s.boot?.timings ?? []).filter((t) => t.boot === 1);
  if (first.length !== 4) return undefined;
  const value = Math.round(first.reduce((a, t) => a + t.ms, 0)) / 1000;
  return { suite: 'bench', name: 'power-on to dom0', value, unit: 's', better: 'lower', at: Date.parse(s.startedAt) };
}

/** The measurements as Allure metric samples (a "*-perf.json" file), keyed "suite: name" across runs. */
export function writePerfMetrics(resultsDir: string, ms: readonly Recorded[]): void {
  if (!ms.length) return;
  const samples = ms.map((m) => ({
    id: randomUUID(),
    key: `${m.suite}: ${m.name}`,
    title: `${m.name} (${m.suite})`,
    value: m.value,
    unit: m.unit,
    group: m.suite,
    start: m.at,
    stop: m.at,
    ...(betterOf(m) ? { better: betterOf(m) } : {}),
  }));
  writeFileSync(join(resultsDir, 'iommu-lab-perf.json'), JSON.stringify(samples, null, 2));
}
