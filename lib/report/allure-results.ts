// What a run adds to its allure-results/ once mocha is done, for Allure to show:
//  - every skip's reason instead of allure-mocha's fixed "Test skipped";
//  - environment.properties: the run's facts (rig, firmware, Xen, dom0 kernel, tool, host);
//  - iommu-lab-perf.json: the measurements as Allure metrics, whose history shows their trend.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../core/redact.ts';
import { betterOf, type Recorded } from './measurements.ts';

const ALLURE_SKIP = 'Test skipped';

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
    const r = JSON.parse(readFileSync(path, 'utf8')) as {
      status?: string;
      fullName?: string;
      statusDetails?: { message?: string };
    };
    if (r.status !== 'skipped' || (r.statusDetails?.message ?? ALLURE_SKIP) !== ALLURE_SKIP) continue;
    const reason = reasons.get(titlePathOf(r.fullName ?? ''));
    if (!reason) continue;
    r.statusDetails = { ...r.statusDetails, message: redact(reason) };
    writeFileSync(path, JSON.stringify(r));
    n++;
  }
  return n;
}

/** Java-properties escaping, as Allure's reader expects. */
const prop = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/([=:#!])/g, '\\$1');

export function writeEnvironment(resultsDir: string, facts: Record<string, string | null | undefined>): void {
  const lines = Object.entries(facts)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${prop(k)}=${prop(redact(String(v)))}`);
  writeFileSync(join(resultsDir, 'environment.properties'), `${lines.join('\n')}\n`);
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
