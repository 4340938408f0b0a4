// iommu-detection's "reports no IVRS/IVHD errors" verdict, on the real Xen 4.17 twin boot (serial
// capture and xl dmesg) with one of Xen's IVRS messages put where Xen prints it.
import assert from 'node:assert/strict';
import { ivrsErrorsNeedDebug, ivrsVerdict } from '../../lib/xen/ivrs-check.ts';
import { parseXenLog } from '../../lib/xen/xen-log.ts';
import { logFixture } from '../fixtures/logs.ts';

const serial = logFixture('twin-4.17-captured-iommu-on.serial.log');
const ring = logFixture('twin-4.17-captured.xl-dmesg.log');

/** `log` with `line` after its "AMD-Vi: IVHD Special" debug line. */
function inserted(log: string, line: string): string {
  const lines = log.split('\n');
  const at = lines.findIndex((l) => l.includes('AMD-Vi: IVHD Special')) + 1;
  assert.ok(at > 0, 'the fixture has the IVHD debug output');
  return [...lines.slice(0, at), line, ...lines.slice(at)].join('\n');
}

describe('xen/ivrs-check', () => {
  it('passes the real 4.17 twin boot', () => {
    const v = ivrsVerdict(parseXenLog(serial), parseXenLog(ring));
    assert.deepEqual(v, { errors: [], warnings: [], failure: null });
  });

  for (const line of [
    '(XEN) AMD-Vi: Error: IVHD: invalid Device_Entry length',
    '(XEN) AMD-Vi: Error: IVRS: invalid checksum 0x3c',
    '(XEN) AMD-Vi: Error: IVMD: overlap [cd9d0000,cd9f0000) vs [cd9e0000,cda00000)',
    '(XEN) AMD-Vi: Error: failed to setup HPET MSI remapping: missing IVRS HPET info',
  ]) {
    it(`fails on Xen 4.16+ "${line.slice(6)}", seen once though both logs hold it`, () => {
      const v = ivrsVerdict(parseXenLog(inserted(serial, line)), parseXenLog(inserted(ring, line)));
      assert.equal(v.errors.length, 1);
      assert.match(v.failure ?? '', /1 IVRS\/IVHD\/IVMD error/);
      assert.ok(v.failure?.includes(line), v.failure ?? '');
    });
  }

  it('fails on an error only xl dmesg saw (the serial capture started late)', () => {
    const v = ivrsVerdict(parseXenLog(serial), parseXenLog(inserted(ring, '(XEN) IVHD Error: Invalid IO-APIC 0x21')));
    assert.deepEqual(
      v.errors.map((e) => e.code),
      ['IVRS_INTREMAP_ERROR'],
    );
  });

  it('shows warnings and a firmware-enabled IOMMU without failing', () => {
    const log = inserted(
      serial,
      '(XEN) AMD-Vi: Warning: IVHD: duplicate IO-APIC 0x4 entries\n(XEN) AMD-Vi: IOMMU 0000:00:00.2 enabled by firmware (ctrl 0000000000000001)',
    );
    const v = ivrsVerdict(parseXenLog(log), parseXenLog(ring));
    assert.equal(v.failure, null);
    assert.deepEqual(
      v.warnings.map((w) => w.code),
      ['IVRS_WARNING', 'IOMMU_ENABLED_BY_FIRMWARE'],
    );
  });

  it('does not fail on 4.20 debug "AMD-Vi: IVHD: IOMMU @" lines', () => {
    const log = inserted(serial, '(XEN) AMD-Vi: IVHD: IOMMU @ 0xfeb80000 cap @ 0x40 seg 0x0000 info 0x1300 attr 0x0');
    assert.equal(ivrsVerdict(parseXenLog(log)).failure, null);
  });

  it('asks for iommu=debug up to Xen 4.15, whose IVRS errors are AMD_IOMMU_DEBUG output', () => {
    assert.deepEqual(['4.8.3', '4.15.7', '4.16.0', '4.17.7', '4.20.2', '5.0', 'unknown'].map(ivrsErrorsNeedDebug), [
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
