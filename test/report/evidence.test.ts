// Evidence and measurements land on the test that judged them, in a real allure-mocha run: a
// step that names the matched line (or the absence searched for), a measurement with value,
// unit and threshold as a step, never as a parameter (parameters are part of the history id).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evidence, findLines, inConsoleLog, lookFor, showHits } from '../../lib/report/evidence.ts';
import { formatMeasurement, toThreshold } from '../../lib/report/measurements.ts';
import { RunMeasurements } from '../../lib/run/measurements.ts';
import { runOneTest } from '../helpers/allure-run.ts';

const dmesg = readFileSync(
  fileURLToPath(new URL('../fixtures/twin/xen-4.17-amd-iommu.xl-dmesg.log', import.meta.url)),
  'utf8',
);

describe('report/evidence and measurements on the test', function () {
  this.timeout(30_000);
  let dir: string;
  let measurements: RunMeasurements;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'iommu-lab-evidence-'));
    measurements = new RunMeasurements();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the matched line, the absence searched for, parser hits and attached evidence', async () => {
    const r = await runOneTest(dir, async () => {
      await lookFor('xl dmesg', dmesg, /AMD-Vi: IOMMU \d+ Enabled/);
      await lookFor('xl dmesg', dmesg, /IO_PAGE_FAULT/);
      await showHits('IVHD errors', 'serial console', [], 680);
      await showHits('IO_PAGE_FAULT', 'xl dmesg', [
        { line: 7, text: '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:03.0 d1 addr 0' },
        { line: 9, text: '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:03.0 d1 addr 1' },
      ]);
      await evidence('xl info', 'virt_caps : pv hvm hvm_directio pv_directio');
    });
    const line = findLines(dmesg, /AMD-Vi: IOMMU \d+ Enabled/)[0]!;
    const names = (r.steps ?? []).map((s) => s.name);
    assert.deepEqual(names.slice(0, 4), [
      `found in xl dmesg, line ${line.line}: ${line.text.trim()}`,
      `not found in xl dmesg: /IO_PAGE_FAULT/ (${dmesg.split('\n').length} lines searched)`,
      'IVHD errors: none in serial console (680 lines searched)',
      'IO_PAGE_FAULT: 2 in xl dmesg, first at line 7: (XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:03.0 d1 addr 0',
    ]);
    assert.match(line.text, /\(XEN\) AMD-Vi: IOMMU 0 Enabled\./);
    const all = JSON.stringify(r);
    assert.match(all, /"name":"evidence: xl info"/);
    assert.match(all, /"name":"IO_PAGE_FAULT in xl dmesg"/);
  });

  it('shows a measurement as a step with value, unit and threshold, and adds no parameter', async () => {
    const r = await runOneTest(dir, async () => {
      await measurements.record({
        suite: 'guest-nic-traffic',
        name: 'passthrough tx',
        value: 208.26,
        unit: 'Mbit/s',
        threshold: { min: 150 },
      });
      await measurements.record({
        suite: 'guest-nic-traffic',
        name: 'passthrough/baseline rx',
        value: 0.61,
        unit: 'ratio',
        threshold: '≥ 0.8',
      });
      await measurements.record({ suite: 'boot-stability', name: 'hangs or panics', value: 0, unit: 'count' });
    });
    assert.deepEqual(r.parameters, []);
    assert.deepEqual(
      (r.steps ?? []).map((s) => s.name),
      [
        'measured: passthrough tx = 208 Mbit/s (threshold ≥ 150 Mbit/s: met)',
        'measured: passthrough/baseline rx = 0.61 ratio (threshold ≥ 0.8: NOT met)',
        'measured: hangs or panics = 0 count (no threshold)',
      ],
    );
  });

  it('reads thresholds written as text into numbers, and formats both limits', () => {
    assert.deepEqual(toThreshold('≥ 0.8'), { min: 0.8 });
    assert.deepEqual(toThreshold('<= 90'), { max: 90 });
    assert.equal(toThreshold('recorded, no threshold'), undefined);
    assert.equal(
      formatMeasurement({ suite: 's', name: 'boot', value: 61.2, unit: 's', threshold: { min: 10, max: 60 } }),
      'boot = 61.2 s (threshold ≥ 10 s and ≤ 60 s: NOT met)',
    );
  });

  it('shows a firmware line with its line number in console.log (the boot judged: its last occurrence)', async () => {
    const log = join(dir, 'console.log');
    const boot = 'PC Engines apu2\r\ncoreboot build 20251125\r\nBIOS version v4.19.0.1\r\n';
    writeFileSync(log, `# iommu-lab console transcript\n${boot}### iommu-lab test start\n${boot}`);
    const r = await runOneTest(dir, async () => {
      await lookFor('firmware serial output', boot, /BIOS version/, inConsoleLog(log));
      await lookFor('firmware serial output', boot, /N for PXE boot/, inConsoleLog(log));
      await lookFor('firmware serial output', 'not in the file\n', /not in/, inConsoleLog(log));
    });
    assert.deepEqual(
      (r.steps ?? []).map((s) => s.name),
      [
        'found in console.log, line 8: BIOS version v4.19.0.1',
        'not found in firmware serial output: /N for PXE boot/ (4 lines searched)',
        'found in firmware serial output, line 1: not in the file',
      ],
    );
    assert.equal(readFileSync(log, 'latin1').split('\n')[7], 'BIOS version v4.19.0.1\r');
  });
});
