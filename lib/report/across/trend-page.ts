// A small static HTML page: the runs as a table and, per rig, the passthrough throughput and
// the boot time across runs as SVG line charts. No script, no external host: it opens anywhere.
import { type RunRow, throughputColumns } from './rows.ts';

const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#718096', '#6b46c1', '#b83280'];

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Series {
  label: string;
  color: string;
  values: (number | undefined)[];
}

export function lineChartSvg(title: string, unit: string, xLabels: string[], series: Series[]): string {
  const w = 640;
  const h = 220;
  const pad = { l: 50, r: 40, t: 28, b: 44 };
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const max = Math.max(1, ...all) * 1.1;
  const x = (i: number) => pad.l + (xLabels.length > 1 ? (i * (w - pad.l - pad.r)) / (xLabels.length - 1) : 0);
  const y = (v: number) => h - pad.b - (v / max) * (h - pad.t - pad.b);
  const lines = series.map((s) => {
    const pts = s.values.map((v, i) => (v === undefined ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
    const dots = pts.map((p) =>
      p ? `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${s.color}"/>` : '',
    );
    return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.filter(Boolean).join(' ')}"/>${dots.join('')}`;
  });
  // Each run's start under its point, thinned to at most ~8 labels so they never overlap.
  const every = Math.max(1, Math.ceil(xLabels.length / 8));
  const ticks = xLabels.map((l, i) =>
    i % every
      ? ''
      : `<text x="${x(i).toFixed(1)}" y="${h - pad.b + 14}" text-anchor="middle" fill="#555">${esc(l)}</text>`,
  );
  const legend = series.map(
    (s, i) => `<text x="${pad.l + i * 150}" y="${h - 8}" fill="${s.color}">■ ${esc(s.label)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12" role="img" aria-label="${esc(title)}"><text x="10" y="16" font-weight="bold">${esc(title)} (${esc(unit)})</text><line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#999"/><text x="${pad.l - 6}" y="${pad.t + 4}" text-anchor="end">${max.toFixed(0)}</text><text x="${pad.l - 6}" y="${h - pad.b}" text-anchor="end">0</text>${ticks.join('')}${lines.join('')}${legend.join('')}</svg>`;
}

export function trendPage(rows: RunRow[], table: string): string {
  const rigs = [...new Set(rows.map((r) => r.rig))];
  const sections = rigs.map((rig) => {
    const rr = rows.filter((r) => r.rig === rig);
    const labels = rr.map((r) => r.startedAt.slice(5, 16).replace('T', ' '));
    // One chart per direction, every series the runs recorded (hvm, pv, netfront, dom0 baseline).
    const cols = throughputColumns(rr);
    const tp = ['tx', 'rx']
      .map((dir) => {
        const mine = cols.filter((c) => c.name.endsWith(` ${dir}`));
        return mine.length
          ? lineChartSvg(
              `throughput ${dir}`,
              'Mbit/s',
              labels,
              mine.map((c, i) => ({
                label: c.name,
                color: COLORS[i % COLORS.length]!,
                values: rr.map((r) => r.throughput[c.name]),
              })),
            )
          : '';
      })
      .join('');
    const boot = lineChartSvg('power-on to dom0', 's', labels, [
      { label: 'first boot', color: '#2f855a', values: rr.map((r) => r.bootS) },
    ]);
    return `<section><h2>${esc(rig)} — ${rr.length} run${rr.length > 1 ? 's' : ''}</h2>${tp}${boot}</section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>iommu-lab results</title><style>body{font-family:sans-serif;margin:2em;color:#222}pre{background:#f6f8fa;padding:1em;overflow:auto}svg{display:block;margin:1em 0}</style></head><body><h1>iommu-lab results</h1><pre>${esc(table)}</pre>${sections.join('')}</body></html>\n`;
}
