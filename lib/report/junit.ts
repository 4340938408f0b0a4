// JUnit XML for CI, valid against the Jenkins xUnit plugin's junit-10.xsd (test/fixtures/junit/):
// a failed assertion is a <failure>, an infrastructure problem an <error>. Each suite's time
// includes its hooks (the boot is most of a run), the run's own set-up and tear-down are the
// "bench" suite, and failed or broken cases point at the console transcript for Jenkins and GitLab.
import type { HookTime } from './collect.ts';
import { BENCH_SUITE } from './collect.ts';
import { formatMeasurement, type Recorded } from './measurements.ts';
import type { TestOutcome } from './results.ts';

const esc = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

export interface JUnitMeta {
  name: string;
  startedAt: Date;
  /** Wall time of the whole run. */
  durationMs: number;
  hostname: string;
  /** Run facts every suite carries: rig, firmware, Xen, dom0 kernel, tool. */
  properties: Record<string, string | undefined>;
  /** The console transcript as the CI job sees it (relative to its work folder), for failed cases. */
  transcript?: string;
  hooks?: HookTime[];
  suiteStarts?: Record<string, number>;
  /** The run's measurements: each one a line of its test's system-out, with threshold and met. */
  measurements?: readonly Recorded[];
}

const secs = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);
/** ISO 8601 in UTC without zone or fraction, as Ant's JUnit task writes it. */
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19);

export function toJUnit(outcomes: TestOutcome[], meta: JUnitMeta): string {
  const hooks = meta.hooks ?? [];
  const bySuite = new Map<string, TestOutcome[]>();
  // The bench first: it ran first (open, boot) — even when nothing in it failed.
  if (hooks.some((h) => h.suite === BENCH_SUITE)) bySuite.set(BENCH_SUITE, []);
  for (const o of outcomes) bySuite.set(o.suite, [...(bySuite.get(o.suite) ?? []), o]);
  for (const h of hooks) if (!bySuite.has(h.suite)) bySuite.set(h.suite, []);
  const count = (l: TestOutcome[], s: string) => l.filter((o) => o.state === s).length;
  const props = Object.entries(meta.properties).filter(([, v]) => v !== undefined && v !== '');
  const propsXml = props.length
    ? [
        '    <properties>',
        ...props.map(([k, v]) => `      <property name="${esc(k)}" value="${esc(v!)}"/>`),
        '    </properties>',
      ]
    : [];
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites name="${esc(meta.name)}" time="${secs(meta.durationMs)}" tests="${outcomes.length}" failures="${count(outcomes, 'failed')}" errors="${count(outcomes, 'broken')}">`,
  );
  for (const [suite, list] of bySuite) {
    const own = hooks.filter((h) => h.suite === suite);
    const ms = list.reduce((a, o) => a + o.durationMs, 0) + own.reduce((a, h) => a + h.durationMs, 0);
    const file = list.find((o) => o.file)?.file;
    const started = meta.suiteStarts?.[suite] ?? meta.startedAt.getTime();
    lines.push(
      `  <testsuite name="${esc(suite)}" tests="${list.length}" failures="${count(list, 'failed')}" errors="${count(list, 'broken')}" skipped="${count(list, 'skipped')}" time="${secs(ms)}" timestamp="${stamp(started)}" hostname="${esc(meta.hostname)}"${file ? ` file="${esc(file)}"` : ''}>`,
      ...propsXml,
    );
    for (const o of list) lines.push(testcase(suite, o, meta.transcript, measuredBy(o, meta.measurements)));
    if (own.length)
      lines.push(
        `    <system-out>${esc(own.map((h) => `${h.name}: ${secs(h.durationMs)} s${h.failed ? ' (failed)' : ''}`).join('\n'))}</system-out>`,
      );
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/** "measured: passthrough hvm tx = 208 Mbit/s (threshold ≥ 150 Mbit/s: met)", one per measurement the test took. */
function measuredBy(o: TestOutcome, ms: readonly Recorded[] | undefined): string[] {
  if (!o.titlePath || !ms) return [];
  return ms.filter((m) => m.test === o.titlePath).map((m) => `measured: ${formatMeasurement(m)}`);
}

function testcase(suite: string, o: TestOutcome, transcript?: string, measured: string[] = []): string {
  const open = `    <testcase classname="${esc(suite)}" name="${esc(o.title)}" time="${secs(o.durationMs)}"`;
  const first = esc((o.message ?? '').split('\n')[0] ?? '');
  // Jenkins' JUnit Attachments plugin reads "[[ATTACHMENT|<path>]]" on a line of system-out.
  const attachment =
    transcript && (o.state === 'failed' || o.state === 'broken') ? [`[[ATTACHMENT|${transcript}]]`] : [];
  const outLines = [...measured, ...attachment];
  const out = outLines.length ? `<system-out>${esc(outLines.join('\n'))}</system-out>` : '';
  if (o.state === 'passed') return out ? `${open}>${out}</testcase>` : `${open}/>`;
  if (o.state === 'skipped') return `${open}><skipped message="${first}"/>${out}</testcase>`;
  const tag = o.state === 'failed' ? 'failure' : 'error';
  return `${open}><${tag} message="${first}" type="${esc(o.code ?? o.state)}">${esc(o.message ?? '')}</${tag}>${out}</testcase>`;
}

/**
 * The JUnit left when a run's reports could not be written (a full disk, a vanished folder):
 * one errored case saying so, small enough to fit where the full one did not.
 */
export function reportsNotWritten(name: string, why: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${esc(name)}" tests="1" failures="0" errors="1">\n` +
    `  <testsuite name="bench" tests="1" failures="0" errors="1" skipped="0">\n` +
    `    <testcase classname="bench" name="write the reports"><error message="${esc(why)}" type="REPORT_WRITE"/></testcase>\n` +
    '  </testsuite>\n</testsuites>\n'
  );
}
