// The firmware as the board shows it on serial: the right board, the flashed version, the
// IOMMU and network-boot settings on, and a boot that did not hang.
import assert from 'node:assert/strict';
import { attach } from '../lib/core/step.ts';
import { assertWithDiagnosis } from '../lib/evidence/command.ts';
import { parseFirmwareLog } from '../lib/firmware/banner.ts';
import { defineSuite } from '../lib/mocha/define-suite.ts';
import { bootTo, skipBecause } from '../lib/mocha/suite-kit.ts';
import { parseXenLog } from '../lib/xen/xen-log.ts';

export default defineSuite(
  {
    name: 'firmware',
    order: 10,
    // Stable ids by title ("<suite>/<id>"): a renamed title keeps its id, and its history.
    ids: {
      'names the expected board in its banner': 'banner-board',
      'runs the flashed build': 'flashed-build',
      'has the IOMMU enabled in its settings': 'iommu-setting',
      'has network boot enabled': 'network-boot',
      'booted without hanging': 'no-hang',
    },
    proves:
      'the banner names the board, the flashed version runs, IOMMU and network boot are on in the firmware settings, no hang during boot',
  },
  (run) => {
    describe('firmware', () => {
      before(async function () {
        await bootTo(this, run, 'dom0');
        await attach('firmware serial log', run.boot.record.firmwareLog);
      });

      it('names the expected board in its banner', function () {
        const fw = parseFirmwareLog(run.boot.record.firmwareLog);
        if (run.boot.record.assumed) skipBecause(this, 'board was already booted (--assume): no banner was captured');
        assert.ok(fw.board, `no board name in the firmware banner (expected "${run.rig.board.model}")`);
        assert.match(fw.board!, new RegExp(run.rig.board.model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
      });

      it('runs the flashed build', function () {
        const flashed = run.firmware.flashed;
        if (!flashed) skipBecause(this, 'no --firmware given: nothing to compare the running version with');
        if (!flashed.version) skipBecause(this, 'the flashed image does not state its version');
        const fw = parseFirmwareLog(run.boot.record.firmwareLog);
        assert.equal(fw.version, flashed.version, 'the board runs another firmware than the one flashed');
      });

      it('has the IOMMU enabled in its settings', function () {
        const settings = run.firmware.settings;
        const fw = parseFirmwareLog(run.boot.record.firmwareLog);
        const xen = parseXenLog(run.boot.record.xenLog);
        const remedy =
          'enable the firmware\'s IOMMU option: bootorder setting "iommu1" (sortbootorder menu, or the rig\'s firmware: { iommu: true } when flashing with iommu-lab)';
        if (settings?.iommu !== undefined) {
          assertWithDiagnosis(
            settings.iommu,
            `firmware IOMMU setting is off on the chip (bootorder "iommu0")\n  remedy: ${remedy}`,
          );
          return;
        }
        // Settings not read from the chip: the ACPI tables the firmware wrote are the evidence.
        const ivrs = fw.ivrs ?? xen.ivrs;
        if (ivrs === null)
          skipBecause(this, 'IOMMU setting unknown: not read from the chip, and no ACPI table list captured');
        assertWithDiagnosis(
          ivrs,
          `the firmware wrote no IVRS ACPI table: its IOMMU option is off or broken\n  remedy: ${remedy}`,
        );
      });

      it('has network boot enabled', function () {
        const settings = run.firmware.settings;
        if (settings?.pxe !== undefined) {
          assertWithDiagnosis(
            settings.pxe,
            'network boot is disabled in the firmware settings (bootorder "pxen0")\n  remedy: enable "pxen1"',
          );
          return;
        }
        if (run.boot.record.assumed) skipBecause(this, 'board was already booted (--assume)');
        // We reached iPXE, so the firmware offered network boot.
        assert.ok(run.boot.state === 'dom0' || run.boot.record.timings.some((t) => t.stage === 'ipxe'));
      });

      it('booted without hanging', () => {
        const { hangs, attempts } = run.boot.record;
        const detail = hangs
          .map((h) => `attempt ${h.attempt}, stage ${h.stage}: ${h.reason}\n${h.lastLines}`)
          .join('\n---\n');
        assert.equal(hangs.length, 0, `${hangs.length} of ${attempts} boot attempts hung or died:\n${detail}`);
      });
    });
  },
);
