// What a CI system shows of a run without opening the Allure report, all from summary.json:
//  - a Markdown summary (GitHub's $GITHUB_STEP_SUMMARY): verdict, suites, problems with their
//    codes, measurements against thresholds;
//  - OpenMetrics text (GitLab's `artifacts:reports:metrics`, the MR widget): throughput, boot
//    time, test counts;
//  - a one-page HTML summary with no script and no inline style (its CSS is a file beside it),
//    so it renders under Jenkins' default artifact CSP: "sandbox; default-src 'none';
//    img-src 'self'; style-src 'self'" (where the Allure page shows nothing).
import { formatMeasurement } from './measurements.ts';
import type { RunSummary } from './summary-schema.ts';

const MARK = { passed: '✅ passed', failed: '❌ failed', broken: '🟧 broken', skipped: '⏭ skipped' } as const;

// Not "_": GitHub never emphasises inside a word, and codes (DMA_NOT_ISOLATED) stay searchable.
const md = (s: string) => s.replace(/[|\\`*<>]/g, (c) => `\\${c}`).replace(/\n/g, ' ');

export function markdownSummary(s: RunSummary, links: { report?: string } = {}): string {
  const out = [
    `## iommu-lab: ${MARK[s.verdict]} on ${md(s.rig)} (exit ${s.exitCode})`,
    '',
    `Firmware ${md(s.firmware.version ?? 'unknown')}${s.firmware.sha256 ? ` (sha256 \`${s.firmware.sha256.slice(0, 16)}…\`)` : ''}` +
      `${s.platform.xenVersion ? `, Xen ${md(s.platform.xenVersion)}` : ''}${s.platform.dom0Kernel ? `, dom0 ${md(s.platform.dom0Kernel)}` : ''}.`,
    '',
    '| suite | verdict | passed | failed | broken | skipped |',
    '|---|---|---:|---:|---:|---:|',
    ...Object.entries(s.suites).map(
      ([n, v]) => `| ${md(n)} | ${MARK[v.verdict]} | ${v.passed} | ${v.failed} | ${v.broken} | ${v.skipped} |`,
    ),
  ];
  if (s.problems.length) {
    out.push('', '| problem | code | test | message |', '|---|---|---|---|');
    for (const p of s.problems)
      out.push(
        `| ${p.state} | ${p.code ? `\`${p.code}\`` : ''} | ${md(`${p.suite} › ${p.test}`)} | ${md(p.message.split('\n')[0] ?? '')} |`,
      );
  }
  if (s.measurements.length) {
    out.push('', '| measurement | suite | value | threshold | met |', '|---|---|---:|---|---|');
    for (const m of s.measurements) {
      const t = m.threshold;
      const th = t
        ? [t.min !== undefined ? `≥ ${t.min}` : '', t.max !== undefined ? `≤ ${t.max}` : ''].filter(Boolean).join(', ')
        : '';
      out.push(
        `| ${md(m.name)} | ${md(m.suite)} | ${m.value} ${md(m.unit)} | ${th} | ${m.met === undefined ? '' : m.met ? 'yes' : '**no**'} |`,
      );
    }
  }
  if (links.report) out.push('', `Report: ${links.report}`);
  return `${out.join('\n')}\n`;
}

/** A metric name part from a measurement name: "passthrough hvm tx" → "passthrough_hvm_tx". */
const metricPart = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
const label = (s: string) => s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');

/**
 * OpenMetrics text. GitLab's metrics report compares each line's name and value with the target
 * branch's, so each measurement is its own metric (its unit in the name), not a label.
 */
export function openMetrics(s: RunSummary): string {
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: number, unit?: string) => {
    lines.push(`# TYPE ${name} gauge`);
    if (unit) lines.push(`# UNIT ${name} ${unit}`);
    lines.push(`# HELP ${name} ${help}`, `${name} ${value}`);
  };
  const unitOf: Record<string, string> = { 'Mbit/s': 'mbit_per_second', s: 'seconds', ratio: 'ratio' };
  for (const m of s.measurements) {
    const unit = unitOf[m.unit];
    const name = `iommu_lab_${metricPart(m.suite)}_${metricPart(m.name)}${unit ? `_${unit}` : ''}`;
    gauge(name, label(`${m.name} (${m.suite})`), m.value, unit);
  }
  const first = (s.boot?.timings ?? []).filter((t) => t.boot === 1);
  if (first.length === 4)
    gauge(
      'iommu_lab_power_on_to_dom0_seconds',
      'first boot, power-on to dom0',
      Math.round(first.reduce((a, t) => a + t.ms, 0)) / 1000,
      'seconds',
    );
  const count = (st: string) => s.tests.filter((t) => t.state === st).length;
  for (const st of ['passed', 'failed', 'broken', 'skipped']) gauge(`iommu_lab_tests_${st}`, `tests ${st}`, count(st));
  gauge('iommu_lab_exit_code', '0 passed, 1 the board failed, 2 the lab failed', s.exitCode);
  return `${lines.join('\n')}\n# EOF\n`;
}

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The stylesheet of the one-page summary: a file beside it (inline style is blocked by style-src 'self'). */
export const SUMMARY_CSS = `body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}
.passed{background:#c6f6d5}.failed{background:#fed7d7}.broken{background:#feebc8}.skipped{color:#718096}
.verdict{font-size:1.4em;padding:.3em .6em;display:inline-block}code{background:#f6f8fa}
`;

export interface PageLinks {
  /** Relative links shown at the bottom (the Allure report, junit.xml, console.log, summary.json). */
  [label: string]: string;
}

/** The one-page HTML summary: no script, no inline style, no external host. */
export function summaryPage(s: RunSummary, links: PageLinks, css = 'summary.css'): string {
  const row = (cells: string[], cls?: string) =>
    `<tr${cls ? ` class="${esc(cls)}"` : ''}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  const suites = Object.entries(s.suites).map(([n, v]) =>
    row(
      [esc(n), esc(v.verdict), `${v.passed}/${v.tests}`, String(v.failed), String(v.broken), String(v.skipped)],
      v.verdict,
    ),
  );
  const problems = s.problems.map((p) =>
    row(
      [
        esc(p.state),
        p.code ? `<code>${esc(p.code)}</code>` : '',
        esc(`${p.suite} › ${p.test}`),
        esc(p.message.split('\n')[0] ?? ''),
      ],
      p.state,
    ),
  );
  const diagnoses = s.tests.flatMap((t) =>
    t.diagnoses.map((d) =>
      row([
        `<code>${esc(d.code)}</code>`,
        esc(d.severity),
        esc(d.owner),
        esc(t.id),
        d.line ? `console.log:${d.line}` : '',
      ]),
    ),
  );
  const measurements = s.measurements.map((m) =>
    row([esc(m.suite), esc(formatMeasurement(m))], m.met === false ? 'failed' : m.met ? 'passed' : undefined),
  );
  const table = (head: string[], rows: string[]) =>
    rows.length
      ? `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.join('')}</table>`
      : '<p>none</p>';
  const linkList = Object.entries(links)
    .map(([l, href]) => `<li><a href="${esc(href)}">${esc(l)}</a></li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>iommu-lab ${esc(s.rig)}: ${esc(s.verdict)}</title><link rel="stylesheet" href="${esc(css)}"></head><body>
<h1>iommu-lab on ${esc(s.rig)}</h1>
<p class="verdict ${esc(s.verdict)}">${esc(s.verdict.toUpperCase())} (exit ${s.exitCode})</p>
<p>Firmware ${esc(s.firmware.version ?? 'unknown')}${s.firmware.sha256 ? `, sha256 <code>${esc(s.firmware.sha256)}</code>` : ''}; Xen ${esc(s.platform.xenVersion ?? '?')}; dom0 ${esc(s.platform.dom0Kernel ?? '?')}; started ${esc(s.startedAt)}.</p>
<h2>Suites</h2>${table(['suite', 'verdict', 'passed', 'failed', 'broken', 'skipped'], suites)}
<h2>Problems</h2>${table(['state', 'code', 'test', 'message'], problems)}
<h2>Diagnoses</h2>${table(['code', 'severity', 'owner', 'test', 'seen at'], diagnoses)}
<h2>Measurements</h2>${table(['suite', 'measurement'], measurements)}
<h2>Files</h2><ul>${linkList}</ul>
</body></html>
`;
}
