// A small SVG bar chart for the report (throughput of dom0 vs passthrough vs PV).

export interface Bar {
  label: string;
  value: number;
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function barChartSvg(title: string, unit: string, bars: Bar[]): string {
  const w = 560;
  const rowH = 28;
  const left = 200;
  const h = 40 + bars.length * rowH;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars.map((b, i) => {
    const y = 30 + i * rowH;
    const bw = Math.max(1, ((w - left - 90) * b.value) / max);
    return `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text><rect x="${left}" y="${y + 3}" width="${bw.toFixed(1)}" height="${rowH - 8}" fill="#4a7bd0"/><text x="${(left + bw + 6).toFixed(1)}" y="${y + 16}">${b.value.toFixed(1)} ${esc(unit)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="13"><text x="10" y="18" font-weight="bold">${esc(title)}</text>${rows.join('')}</svg>`;
}
