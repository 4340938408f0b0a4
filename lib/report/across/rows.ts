// One row per run: rig, firmware, verdict per suite, and the key measurements (throughput and
// the time from power-on to dom0), for the text table and the trend page.
import type { RunSummary } from '../summary.ts';
import type { FoundSummary } from './read-summaries.ts';

export interface RunRow {
  path: string;
  rig: string;
  startedAt: string;
  verdict: RunSummary['verdict'];
  firmware: string;
  suites: Record<string, string>;
  /** Mbit/s by measurement name (e.g. "passthrough tx"). */
  throughput: Record<string, number>;
  /** Power-on to dom0 of the run's first boot, s. */
  bootS?: number;
  /** Ratio thresholds by measurement name (e.g. "passthrough hvm/baseline tx": {min: 0.8}). */
  ratioMin: Record<string, number>;
  /** Link to the run's own report (set by the caller, relative to the page). */
  report?: string;
}

export function toRow({ path, summary: s }: FoundSummary): RunRow {
  const throughput: Record<string, number> = {};
  const ratioMin: Record<string, number> = {};
  for (const m of s.measurements ?? []) {
    if (m.unit === 'Mbit/s') throughput[m.name] = m.value;
    if (m.unit === 'ratio' && m.threshold?.min !== undefined) ratioMin[m.name] = m.threshold.min;
  }
  const first = s.boot?.timings?.slice(0, 4) ?? [];
  return {
    path,
    rig: s.rig,
    startedAt: s.startedAt,
    verdict: s.verdict,
    firmware: s.firmware?.version ?? (s.firmware?.sha256 ? s.firmware.sha256.slice(0, 12) : 'as found'),
    suites: Object.fromEntries(Object.entries(s.suites).map(([k, v]) => [k, v.verdict])),
    throughput,
    bootS: first.length === 4 ? first.reduce((a, t) => a + t.ms, 0) / 1000 : undefined,
    ratioMin,
  };
}

/**
 * The throughput series, in the order a reader compares them, with their short column names:
 * the suite records "passthrough hvm tx", "passthrough pv tx", "pv netfront tx" and "dom0
 * baseline tx" (and rx); summaries from before per-guest measurements say "passthrough tx".
 */
const SERIES: [string, string][] = [
  ['passthrough hvm', 'hvm'],
  ['passthrough pv', 'pv'],
  ['pv netfront', 'netfront'],
  ['dom0 baseline', 'dom0'],
  ['passthrough', 'pt'],
];

/** Throughput names present in these rows, in SERIES order (unknown names last), with short names. */
export function throughputColumns(rows: readonly RunRow[]): { name: string; short: string }[] {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.throughput)))];
  const rank = (n: string) => {
    const i = SERIES.findIndex(([p]) => n === `${p} tx` || n === `${p} rx`);
    return i < 0 ? SERIES.length : i;
  };
  return names
    .sort((a, b) => rank(a) - rank(b) || Number(a.endsWith(' rx')) - Number(b.endsWith(' rx')) || a.localeCompare(b))
    .map((name) => {
      const s = SERIES.find(([p]) => name === `${p} tx` || name === `${p} rx`);
      return { name, short: s ? `${s[1]} ${name.slice(-2)}` : name };
    });
}

const MARK: Record<string, string> = { passed: 'pass', failed: 'FAIL', broken: 'BRKN', skipped: 'skip' };

export function formatTable(rows: RunRow[]): string {
  const suites = [...new Set(rows.flatMap((r) => Object.keys(r.suites)))];
  const tp = throughputColumns(rows);
  const head = ['started', 'rig', 'build', 'verdict', ...suites, ...tp.map((c) => c.short), 'boot s'];
  const body = rows.map((r) => [
    r.startedAt.replace('T', ' ').slice(0, 16),
    r.rig,
    r.firmware,
    r.verdict,
    ...suites.map((s) => MARK[r.suites[s] ?? ''] ?? '-'),
    ...tp.map((c) => fmt(r.throughput[c.name])),
    fmt(r.bootS),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

export const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(v >= 100 ? 0 : 1));
