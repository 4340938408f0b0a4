// A small static HTML page: the runs as a table (verdict colours, a link to each run's report)
// and, per rig, the throughput of every series the runs recorded, with the rig's threshold, and
// the boot time across runs as SVG line charts. No script, no external host: it opens anywhere.
import { byBuildAndXen, fmt, type RunRow, throughputColumns } from './rows.ts';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#718096', '#6b46c1', '#b83280'];

interface Series {
  label: string;
  color: string;
  values: (number | undefined)[];
  /** Drawn dashed: a threshold, not a measurement. */
  dashed?: boolean;
}

/** Legend entries laid out in rows that fit the chart's width (a long name never runs off it). */
function legendRows(labels: string[], width: number, left: number): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = left;
  let row = 0;
  for (const l of labels) {
    const w = 16 + l.length * 7;
    if (x > left && x + w > width - 8) {
      x = left;
      row++;
    }
    out.push({ x, row });
    x += w + 16;
  }
  return out;
}

export function lineChartSvg(title: string, unit: string, xLabels: string[], series: Series[]): string {
  const w = 640;
  const layout = legendRows(
    series.map((s) => s.label),
    w,
    50,
  );
  const legendLines = (layout.at(-1)?.row ?? 0) + 1;
  const h = 200 + legendLines * 16;
  const pad = { l: 50, r: 40, t: 28, b: 28 + legendLines * 16 };
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const max = Math.max(1, ...all) * 1.1;
  const x = (i: number) => pad.l + (xLabels.length > 1 ? (i * (w - pad.l - pad.r)) / (xLabels.length - 1) : 0);
  const y = (v: number) => h - pad.b - (v / max) * (h - pad.t - pad.b);
  const lines = series.map((s) => {
    const pts = s.values.map((v, i) => (v === undefined ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
    const dots = s.dashed
      ? []
      : pts.map((p) => (p ? `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${s.color}"/>` : ''));
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    return `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.filter(Boolean).join(' ')}"/>${dots.join('')}`;
  });
  // Each run's start under its point, thinned to at most ~8 labels so they never overlap.
  const every = Math.max(1, Math.ceil(xLabels.length / 8));
  const ticks = xLabels.map((l, i) =>
    i % every
      ? ''
      : `<text x="${x(i).toFixed(1)}" y="${h - pad.b + 14}" text-anchor="middle" fill="#555">${esc(l)}</text>`,
  );
  const legendTop = h - pad.b + 32;
  const legend = series.map(
    (s, i) =>
      `<text x="${layout[i]!.x}" y="${legendTop + layout[i]!.row * 16}" fill="${s.color}">${s.dashed ? '- -' : '■'} ${esc(s.label)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12" role="img" aria-label="${esc(title)}"><text x="10" y="16" font-weight="bold">${esc(title)} (${esc(unit)})</text><line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#999"/><text x="${pad.l - 6}" y="${pad.t + 4}" text-anchor="end">${max.toFixed(0)}</text><text x="${pad.l - 6}" y="${h - pad.b}" text-anchor="end">0</text>${ticks.join('')}${lines.join('')}${legend.join('')}</svg>`;
}

/**
 * The rig's throughput threshold in Mbit/s for a direction: the smallest ratio minimum the run
 * judged a passthrough series against ("… /baseline tx"), times that run's dom0 baseline.
 */
function thresholdOf(r: RunRow, dir: string): number | undefined {
  const base = r.throughput[`dom0 baseline ${dir}`];
  const mins = Object.entries(r.ratioMin)
    .filter(([n]) => n.endsWith(`/baseline ${dir}`))
    .map(([, v]) => v);
  return base === undefined || !mins.length ? undefined : Math.min(...mins) * base;
}

const MARK: Record<string, string> = { passed: 'pass', failed: 'FAIL', broken: 'BRKN', skipped: 'skip' };

/** A passthrough figure below the rig's threshold (ratio × that run's dom0 baseline) is marked. */
function throughputCell(r: RunRow, name: string): string {
  const v = r.throughput[name];
  const dir = name.slice(-2);
  const min = name.startsWith('passthrough ') ? thresholdOf(r, dir) : undefined;
  const below = v !== undefined && min !== undefined && v < min;
  const title = min !== undefined ? ` title="threshold ${fmt(min)} Mbit/s"` : '';
  return `<td class="num${below ? ' failed' : ''}"${title}>${fmt(v)}</td>`;
}

/** A build on each Xen line side by side: the verdict and passthrough tx of its latest run there. */
function buildXenTable(rows: RunRow[]): string {
  const grid = byBuildAndXen(rows);
  if (grid.xens.length < 2) return '';
  const cellOf = (r: RunRow | undefined) => {
    if (!r) return '<td>-</td>';
    const tx = ['passthrough hvm tx', 'passthrough pv tx', 'pv netfront tx']
      .filter((n) => r.throughput[n] !== undefined)
      .map((n) => `${n.replace(/^passthrough /, '').replace(/ tx$/, '')} ${fmt(r.throughput[n])}`)
      .join(', ');
    const text = `${r.verdict}${tx ? ` — ${tx} Mbit/s tx` : ''}`;
    return `<td class="${esc(r.verdict)}">${r.report ? `<a href="${esc(r.report)}">${esc(text)}</a>` : esc(text)}</td>`;
  };
  const head = ['build', ...grid.xens.map((x) => `Xen ${x}`)].map((h) => `<th>${esc(h)}</th>`).join('');
  const body = grid.builds
    .map((b) => `<tr><td>${esc(b.build)}</td>${grid.xens.map((x) => cellOf(b.byXen[x])).join('')}</tr>`)
    .join('');
  return `<h2>By build and Xen version (the latest run of each)</h2><div class="runs"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function runsTable(rows: RunRow[]): string {
  const suites = [...new Set(rows.flatMap((r) => Object.keys(r.suites)))];
  const tp = throughputColumns(rows);
  const head = [
    'started',
    'rig',
    'build',
    'Xen',
    'verdict',
    ...suites,
    ...tp.map((c) => `${c.short} Mbit/s`),
    'boot s',
    'report',
  ];
  const cell = (state: string | undefined) =>
    `<td class="${esc(state ?? 'none')}">${esc(MARK[state ?? ''] ?? '-')}</td>`;
  const body = rows.map(
    (r) =>
      `<tr><td>${esc(r.startedAt.replace('T', ' ').slice(0, 16))}</td><td>${esc(r.rig)}</td><td>${esc(r.firmware)}</td><td>${esc(r.xen ?? '-')}</td><td class="${esc(r.verdict)}">${esc(r.verdict)}</td>${suites.map((s) => cell(r.suites[s])).join('')}${tp.map((c) => throughputCell(r, c.name)).join('')}<td class="num">${fmt(r.bootS)}</td><td>${r.report ? `<a href="${esc(r.report)}">report</a>` : '-'}</td></tr>`,
  );
  return `<div class="runs"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

export function trendPage(rows: RunRow[], _table?: string): string {
  const rigs = [...new Set(rows.map((r) => r.rig))];
  const sections = rigs.map((rig) => {
    const rr = rows.filter((r) => r.rig === rig);
    const labels = rr.map((r) => r.startedAt.slice(5, 16).replace('T', ' '));
    // One chart per direction, every series the runs recorded (hvm, pv, netfront, dom0 baseline).
    const cols = throughputColumns(rr);
    const tp = ['tx', 'rx']
      .map((dir) => {
        const mine = cols.filter((c) => c.name.endsWith(` ${dir}`));
        if (!mine.length) return '';
        const series: Series[] = mine.map((c, i) => ({
          label: c.name,
          color: COLORS[i % COLORS.length]!,
          values: rr.map((r) => r.throughput[c.name]),
        }));
        const threshold = rr.map((r) => thresholdOf(r, dir));
        if (threshold.some((v) => v !== undefined))
          series.push({
            label: `threshold (rig ratio × dom0 ${dir})`,
            color: '#c53030',
            values: threshold,
            dashed: true,
          });
        return lineChartSvg(`throughput ${dir}`, 'Mbit/s', labels, series);
      })
      .join('');
    const boot = lineChartSvg('power-on to dom0', 's', labels, [
      { label: 'first boot', color: '#2f855a', values: rr.map((r) => r.bootS) },
    ]);
    return `<section><h2>${esc(rig)} — ${rr.length} run${rr.length > 1 ? 's' : ''}</h2>${tp}${boot}</section>`;
  });
  const style =
    'body{font-family:sans-serif;margin:2em;color:#222}svg{display:block;margin:1em 0;max-width:100%;height:auto}' +
    '.runs{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:13px}' +
    // Long headers wrap (the table fits the page); the figures never do.
    'th,td{padding:2px 6px;border-bottom:1px solid #ddd;white-space:nowrap;text-align:left}td.num{text-align:right}' +
    'th{white-space:normal;vertical-align:bottom;max-width:7em;overflow-wrap:anywhere}' +
    '.passed{background:#c6f6d5}.failed{background:#fed7d7}.broken{background:#feebc8}.skipped{color:#718096}';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>iommu-lab results</title><style>${style}</style></head><body><h1>iommu-lab results</h1>${runsTable(rows)}${buildXenTable(rows)}${sections.join('')}</body></html>\n`;
}
