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
  /** Xen's version as the run saw it ("4.17.7"), when it said. */
  xen?: string;
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
    ...(s.platform?.xenVersion ? { xen: s.platform.xenVersion } : {}),
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
  const head = ['started', 'rig', 'build', 'xen', 'verdict', ...suites, ...tp.map((c) => c.short), 'boot s'];
  const body = rows.map((r) => [
    r.startedAt.replace('T', ' ').slice(0, 16),
    r.rig,
    r.firmware,
    r.xen ?? '-',
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
  const table = [line(head), ...body.map(line)].join('\n');
  const grid = byBuildAndXen(rows);
  if (grid.xens.length < 2) return table;
  // One build on several Xen versions: its latest run on each, side by side.
  const gHead = ['build', ...grid.xens.map((x) => `Xen ${x}`)];
  const gBody = grid.builds.map((b) => [
    b.build,
    ...grid.xens.map((x) => {
      const r = b.byXen[x];
      if (!r) return '-';
      const hvm = r.throughput['passthrough hvm tx'];
      const pv = r.throughput['passthrough pv tx'];
      return `${r.verdict}${hvm !== undefined || pv !== undefined ? ` (hvm ${fmt(hvm)}, pv ${fmt(pv)} tx)` : ''}`;
    }),
  ]);
  const gw = gHead.map((h, i) => Math.max(h.length, ...gBody.map((b) => b[i]!.length)));
  const gLine = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(gw[i]!))
      .join('  ')
      .trimEnd();
  return [table, '', 'by build and Xen (the latest run of each):', gLine(gHead), ...gBody.map(gLine)].join('\n');
}

/** "4.17" of "4.17.7-1+deb12u1": runs of one Xen line go together. */
export const xenLine = (v: string | undefined) => (v ? (/^(\d+\.\d+)/.exec(v)?.[1] ?? v) : '?');

/**
 * The runs of each build (firmware) by Xen line, the latest run of each pair: how a lab sees a
 * build on Xen 4.17 and 4.20 side by side. Builds in the order of their latest run.
 */
export function byBuildAndXen(rows: readonly RunRow[]): {
  xens: string[];
  builds: { build: string; byXen: Record<string, RunRow> }[];
} {
  const xens = [...new Set(rows.map((r) => xenLine(r.xen)))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const builds = new Map<string, Record<string, RunRow>>();
  for (const r of [...rows].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    const b = builds.get(r.firmware) ?? {};
    builds.delete(r.firmware);
    b[xenLine(r.xen)] = r;
    builds.set(r.firmware, b);
  }
  return { xens, builds: [...builds].map(([build, byXen]) => ({ build, byXen })) };
}

export const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(v >= 100 ? 0 : 1));
