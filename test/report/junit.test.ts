// JUnit as CI parsers take it: valid against the Jenkins xUnit plugin's schema (xmllint), with
// the fields GitLab and Jenkins read, hook time attributed, and broken cases pointing at the
// console transcript.
import assert from 'node:assert/strict';
import { type JUnitMeta, toJUnit } from '../../lib/report/junit.ts';
import type { TestOutcome } from '../../lib/report/results.ts';
import { junitXsdErrors, onPath, requireXmllint } from '../helpers/tools.ts';

const outcomes: TestOutcome[] = [
  {
    id: 'iommu-detection/enables-amd-vi',
    suite: 'iommu-detection',
    title: 'enables AMD-Vi',
    state: 'passed',
    durationMs: 12,
    file: 'suites/iommu-detection.spec.ts',
  },
  {
    suite: 'iommu-detection',
    title: 'enables I/O virtualisation',
    state: 'failed',
    durationMs: 3,
    message: 'I/O virtualisation is disabled\ndiagnosis NO_IOMMU',
  },
  {
    suite: 'device-assignment',
    title: 'loads xen-pciback',
    state: 'broken',
    durationMs: 0,
    message: 'not run: its set-up "before all: boot" failed: dom0 <unreachable> & "gone"',
    code: 'DOM0_TIMEOUT',
  },
  {
    suite: 'device-assignment',
    title: 'returns the NIC',
    state: 'skipped',
    durationMs: 0,
    message: 'skipped: bench broken',
  },
];

const meta: JUnitMeta = {
  name: 'iommu-lab apu2-twin',
  startedAt: new Date('2026-12-01T23:03:43.418Z'),
  durationMs: 335_760,
  hostname: 'ci-runner-7',
  properties: { rig: 'apu2-twin', 'firmware version': 'v4.19.0.1', Xen: '4.17.7', 'dom0 kernel': undefined },
  transcript: 'reports/run/console.log',
  hooks: [
    { suite: 'bench', name: 'before all: boot the board to dom0', durationMs: 58_000, failed: false },
    { suite: 'iommu-detection', name: 'before all: read xl dmesg', durationMs: 1_500, failed: false },
  ],
  suiteStarts: { 'iommu-detection': Date.parse('2026-12-01T23:04:45Z') },
};

describe('report/junit', () => {
  const xml = toJUnit(outcomes, meta);

  it('is valid against the Jenkins xUnit plugin junit-10.xsd', function () {
    requireXmllint(this);
    assert.equal(junitXsdErrors(xml), '');
  });

  it('the schema check is not blind: `skipped` on <testsuites> is refused', function () {
    requireXmllint(this);
    const bad = xml.replace('<testsuites ', '<testsuites skipped="1" ');
    assert.match(junitXsdErrors(bad), /skipped/);
  });

  it('puts the run time on <testsuites> and no skipped count there', () => {
    assert.match(xml, /<testsuites name="iommu-lab apu2-twin" time="335\.760" tests="4" failures="1" errors="1">/);
  });

  it('gives each suite timestamp, hostname, file and the run properties', () => {
    assert.match(
      xml,
      /<testsuite name="iommu-detection" tests="2" failures="1" errors="0" skipped="0" time="1\.515" timestamp="2026-12-01T23:04:45" hostname="ci-runner-7" file="suites\/iommu-detection\.spec\.ts">/,
    );
    assert.match(xml, /<property name="firmware version" value="v4\.19\.0\.1"\/>/);
    assert.doesNotMatch(xml, /dom0 kernel/, 'an unknown fact is left out, not written empty');
  });

  it('attributes hook time: the boot is the bench suite, set-up time is its suite', () => {
    assert.match(xml, /<testsuite name="bench" tests="0" failures="0" errors="0" skipped="0" time="58\.000"/);
    assert.match(xml, /<system-out>before all: boot the board to dom0: 58\.000 s<\/system-out>/);
    assert.ok(xml.indexOf('name="bench"') < xml.indexOf('name="iommu-detection"'), 'the bench ran first');
  });

  it('reports a failed assertion as <failure>, a lab problem as <error>, both with the transcript', () => {
    assert.match(
      xml,
      /name="enables I\/O virtualisation" time="0\.003"><failure message="I\/O virtualisation is disabled" type="failed">[^<]*<\/failure><system-out>\[\[ATTACHMENT\|reports\/run\/console\.log\]\]<\/system-out>/,
    );
    assert.match(
      xml,
      /<error message="not run: its set-up &quot;before all: boot&quot; failed: dom0 &lt;unreachable&gt; &amp; &quot;gone&quot;" type="DOM0_TIMEOUT">/,
    );
  });

  it('keeps skip reasons, without a transcript link for skips and passes', () => {
    assert.match(xml, /<skipped message="skipped: bench broken"\/><\/testcase>/);
    assert.equal(xml.match(/\[\[ATTACHMENT/g)?.length, 2);
  });

  it('lists each measurement in the system-out of the test that took it, with its threshold and whether it was met', () => {
    const tp = 'guest-nic-traffic > passes traffic through the NIC';
    const x = toJUnit(
      [
        {
          suite: 'guest-nic-traffic',
          title: 'passes traffic through the NIC',
          titlePath: tp,
          state: 'passed',
          durationMs: 9,
        },
        {
          suite: 'guest-nic-traffic',
          title: 'other',
          titlePath: 'guest-nic-traffic > other',
          state: 'passed',
          durationMs: 1,
        },
      ],
      {
        ...meta,
        measurements: [
          {
            suite: 'guest-nic-traffic',
            name: 'passthrough hvm tx',
            value: 208.3,
            unit: 'Mbit/s',
            threshold: { min: 250 },
            at: 0,
            test: tp,
          },
          { suite: 'guest-nic-traffic', name: 'hvm guest boot to SSH', value: 12.5, unit: 's', at: 0, test: tp },
          { suite: 'bench', name: 'taken in a hook', value: 1, unit: 's', at: 0 },
        ],
      },
    );
    assert.match(
      x,
      /name="passes traffic through the NIC" time="0\.009"><system-out>measured: passthrough hvm tx = 208 Mbit\/s \(threshold ≥ 250 Mbit\/s: NOT met\)\nmeasured: hvm guest boot to SSH = 12\.5 s \(no threshold\)<\/system-out><\/testcase>/,
    );
    assert.match(x, /name="other" time="0\.001"\/>/, 'a test that measured nothing has no system-out');
    assert.doesNotMatch(x, /taken in a hook/);
    if (onPath('xmllint')) assert.equal(junitXsdErrors(x), '');
  });

  it('strips control characters a console may leave in messages', () => {
    const x = toJUnit(
      [{ suite: 's', title: 't', state: 'failed', durationMs: 0, message: 'a\u0007b\u001b[31mc' }],
      meta,
    );
    assert.ok(!/[\u0007\u001b]/.test(x));
  });
});
