// JUnit XML for CI: a failed assertion is a <failure>, an infrastructure problem an <error>.
import type { TestOutcome } from './results.ts';

const esc = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

export function toJUnit(outcomes: TestOutcome[], name = 'iommu-lab'): string {
  const bySuite = new Map<string, TestOutcome[]>();
  for (const o of outcomes) bySuite.set(o.suite, [...(bySuite.get(o.suite) ?? []), o]);
  const count = (l: TestOutcome[], s: string) => l.filter((o) => o.state === s).length;
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites name="${esc(name)}" tests="${outcomes.length}" failures="${count(outcomes, 'failed')}" errors="${count(outcomes, 'broken')}" skipped="${count(outcomes, 'skipped')}">`,
  );
  for (const [suite, list] of bySuite) {
    const time = secs(list.reduce((a, o) => a + o.durationMs, 0));
    lines.push(
      `  <testsuite name="${esc(suite)}" tests="${list.length}" failures="${count(list, 'failed')}" errors="${count(list, 'broken')}" skipped="${count(list, 'skipped')}" time="${time}">`,
    );
    for (const o of list) {
      const open = `    <testcase classname="${esc(suite)}" name="${esc(o.title)}" time="${secs(o.durationMs)}"`;
      const msg = esc(o.message ?? '');
      const first = esc((o.message ?? '').split('\n')[0] ?? '');
      if (o.state === 'passed') lines.push(`${open}/>`);
      else if (o.state === 'skipped') lines.push(`${open}><skipped message="${first}"/></testcase>`);
      else {
        const tag = o.state === 'failed' ? 'failure' : 'error';
        lines.push(`${open}><${tag} message="${first}" type="${esc(o.code ?? o.state)}">${msg}</${tag}></testcase>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
