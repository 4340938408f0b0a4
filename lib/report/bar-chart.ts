// A small SVG bar chart for the report (throughput of dom0 vs passthrough vs PV), sized to its
// text: the label column is as wide as the longest label and the value column as wide as the
// longest value, so nothing is clipped. A bar judged against a threshold has it drawn across its
// row (red, dashed) — a reader sees the margin, not only the number.

export interface Bar {
  label: string;
  value: number;
  /** The minimum this bar was judged against, in the chart's unit. */
  threshold?: number;
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Width of a text at font-size 13 sans-serif: ~7.5 px a character is a safe upper bound for these labels. */
export const textWidth = (s: string) => Math.ceil(s.length * 7.5);

const valueText = (v: number, unit: string) => `${v.toFixed(1)} ${unit}`;

export function barChartSvg(title: string, unit: string, bars: Bar[], thresholdNote?: string): string {
  const rowH = 28;
  const plot = 300;
  const left = 16 + Math.max(60, ...bars.map((b) => textWidth(b.label)));
  const right = 12 + Math.max(...bars.map((b) => textWidth(valueText(b.value, unit))), 40);
  const hasThreshold = bars.some((b) => b.threshold !== undefined);
  const note = hasThreshold ? `- - ${thresholdNote ?? 'threshold'}` : '';
  const w = Math.max(left + plot + right, 20 + textWidth(title), 20 + textWidth(note));
  const h = 40 + bars.length * rowH + (hasThreshold ? 20 : 0);
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.threshold ?? 0)));
  const x = (v: number) => left + (plot * v) / max;
  const rows = bars.map((b, i) => {
    const y = 30 + i * rowH;
    const bw = Math.max(1, x(b.value) - left);
    const mark =
      b.threshold === undefined
        ? ''
        : `<line x1="${x(b.threshold).toFixed(1)}" y1="${y}" x2="${x(b.threshold).toFixed(1)}" y2="${y + rowH - 2}" stroke="#c53030" stroke-width="2" stroke-dasharray="4 2"><title>threshold ${b.threshold.toFixed(1)} ${esc(unit)}</title></line>`;
    return `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text><rect x="${left}" y="${y + 3}" width="${bw.toFixed(1)}" height="${rowH - 8}" fill="#4a7bd0"/>${mark}<text x="${left + plot + 6}" y="${y + 16}">${esc(valueText(b.value, unit))}</text>`;
  });
  const legend = hasThreshold ? `<text x="10" y="${h - 8}" fill="#c53030">${esc(note)}</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="13"><text x="10" y="18" font-weight="bold">${esc(title)}</text>${rows.join('')}${legend}</svg>`;
}
