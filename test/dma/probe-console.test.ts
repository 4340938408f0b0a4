// The probe's reports read back from the guest's console (as dom0 keeps it): a real PV guest's
// console from the Xen 4.20 twin, where SSH to the guest was cut after a complete probe.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBE_RUNS } from '../../lib/dma/guest-script.ts';
import { probeFromConsole } from '../../lib/dma/probe-console.ts';
import { parseProbeOutput } from '../../lib/dma/probe-report.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/logs/twin-4.20-captured-pv-guest-console-dma-probe.log');

describe('dma/probe-console: the probe reports from the guest console', () => {
  it('finds every run of the probe and its end in a real guest console, each a report the verdict can use', () => {
    const seen = probeFromConsole(readFileSync(FIXTURE, 'utf8'));
    assert.deepEqual(Object.keys(seen.reports).sort(), [...PROBE_RUNS].sort());
    assert.match(seen.done ?? '', /^nic=eth0 new=eth0 addrs=10\.0\.2\.15\/24 gw=10\.0\.2\.2$/);
    const target = parseProbeOutput(seen.reports.target!);
    assert.equal(target.ok, true);
    assert.equal((target as { mode?: string }).mode, 'target');
  });

  it('takes the last probe run only: an earlier guest of the same name in the same log is ignored', () => {
    const old = readFileSync(FIXTURE, 'utf8').replace(/0x13f8bc000/g, '0xdeadbe000');
    const seen = probeFromConsole(`${old}\n${readFileSync(FIXTURE, 'utf8')}`);
    assert.doesNotMatch(seen.reports.target!, /0xdeadbe000/);
  });

  it('a probe still running has no end and no late reports; a console without a probe has nothing', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const cut = text.slice(0, text.indexOf('iommu-lab probe: targetWrite'));
    const seen = probeFromConsole(cut);
    assert.equal(seen.done, undefined);
    assert.equal(seen.reports.targetWrite, undefined);
    assert.deepEqual(probeFromConsole('iommu-lab: guest ready (eth0 10.0.2.15/24)\r\n'), { reports: {} });
  });
});
