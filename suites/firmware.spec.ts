// The firmware as the board shows it on serial: the right board, the flashed version, the
// IOMMU and network-boot settings on, and a boot that did not hang.
import assert from 'node:assert/strict';
import { attach } from '../lib/core/step.ts';
import { assertWithDiagnosis } from '../lib/evidence/command.ts';
import { parseFirmwareLog } from '../lib/firmware/banner.ts';
import { settingsAtBoot } from '../lib/firmware/boot-settings.ts';
import { runningIdentity } from '../lib/firmware/identity.ts';
import { inConsoleLog, lookFor, noted, showHits } from '../lib/report/evidence.ts';
import { defineSuite } from '../lib/run/define-suite.ts';
import { bootTo, skipBecause } from '../lib/run/suite-kit.ts';
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
    labels: {
      'banner-board': { severity: 'critical', tags: ['serial', 'banner'] },
      'flashed-build': { severity: 'blocker', tags: ['serial', 'banner', 'flash'] },
      'iommu-setting': { severity: 'blocker', tags: ['serial', 'settings', 'amd-vi'] },
      'network-boot': { severity: 'critical', tags: ['serial', 'settings', 'pxe'] },
      'no-hang': { severity: 'critical', tags: ['serial', 'boot'] },
    },
    proves:
      'the banner names the board, the flashed version runs, IOMMU and network boot are on in the firmware settings, no hang during boot',
  },
  (run) => {
    describe('firmware', () => {
      const fwLog = () => run.boot.record.firmwareLog;
      /** Looks in this boot's firmware output; shows the line found with its line in console.log. */
      const show = (pattern: RegExp) =>
        lookFor("the firmware's serial output", fwLog(), pattern, inConsoleLog(run.opts.runDir.transcript));

      before('boot the board to dom0 and attach the firmware serial log', async function () {
        await bootTo(this, run, 'dom0');
        await attach('firmware serial log', fwLog());
      });

      it('names the expected board in its banner', async function () {
        if (run.boot.record.assumed) skipBecause(this, 'board was already booted (--assume): no banner was captured');
        // Dasharo coreboot+UEFI names no board on serial: dom0's SMBIOS product_name stands in.
        const id = runningIdentity(run.boot.record);
        if (id.board && id.boardFrom !== 'console: sign-on') await noted(`${id.boardFrom}: "${id.board}"`);
        else await show(/PC ?Engines apu\w*/i);
        assert.ok(id.board, `no board name in the firmware banner (expected "${run.rig.board.model}")`);
        assert.match(id.board!, new RegExp(run.rig.board.model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
      });

      it('runs the flashed build', async function () {
        const flashed = run.firmware.flashed;
        if (!flashed) skipBecause(this, 'no --firmware given: nothing to compare the running version with');
        if (!flashed.version) skipBecause(this, 'the flashed image does not state its version');
        await show(/BIOS version \S+|coreboot-\S+ .*\b(?:bootblock|romstage|ramstage) starting/);
        // The sign-on's version; on a build that names none on serial, dom0's SMBIOS (Dasharo UEFI).
        const onSerial = parseFirmwareLog(fwLog()).version;
        const dom0 = onSerial ? undefined : runningIdentity(run.boot.record).verdict;
        const version = onSerial ?? dom0?.version ?? null;
        await noted(
          `flashed ${flashed.version} (${flashed.versionFrom ?? 'image'}), running ${version ?? 'no version on serial'}${dom0?.version ? ` (${dom0.versionFrom})` : ''}`,
        );
        assert.equal(version, flashed.version, 'the board runs another firmware than the one flashed');
      });

      it('has the IOMMU enabled in its settings', async function () {
        const settings = run.firmware.settings;
        const fw = parseFirmwareLog(fwLog());
        const xen = parseXenLog(run.boot.record.xenLog);
        const remedy =
          'enable the firmware\'s IOMMU option: bootorder setting "iommu1" (sortbootorder menu, or the rig\'s firmware: { iommu: true } when flashing with iommu-lab)';
        if (settings?.iommu !== undefined) {
          await noted(`read back from the chip after flashing: bootorder "iommu${settings.iommu ? 1 : 0}"`);
          assertWithDiagnosis(
            settings.iommu,
            `firmware IOMMU setting is off on the chip (bootorder "iommu0")\n  remedy: ${remedy}`,
          );
          return;
        }
        // Not read from the chip: what the console said at this boot (a bootorder line, the setup menu).
        const atBoot = settingsAtBoot(fwLog()).iommu;
        if (atBoot !== undefined) {
          await show(/\bIOMMU: (?:enabled|disabled) \(bootorder|IOMMU - Currently/);
          assertWithDiagnosis(
            atBoot,
            `the firmware says at boot that its IOMMU setting is off (bootorder "iommu0")\n  remedy: ${remedy}`,
          );
        }
        // And the ACPI tables the firmware wrote: no IVRS, no IOMMU for Xen.
        const ivrs = fw.ivrs ?? xen.ivrs;
        if (ivrs === null) {
          if (atBoot !== undefined) return;
          skipBecause(
            this,
            'IOMMU setting unknown: not read from the chip, not on the console, and no ACPI table list captured',
          );
        }
        if (fw.ivrs !== null) await show(/ACPI:\s+\* IVRS|\bIVRS at [0-9a-f]/);
        else await lookFor('the serial console (Xen boot)', run.boot.record.xenLog, /\bIVRS\b/);
        assertWithDiagnosis(
          ivrs,
          `the firmware wrote no IVRS ACPI table: its IOMMU option is off or broken\n  remedy: ${remedy}`,
        );
      });

      it('has network boot enabled', async function () {
        const settings = run.firmware.settings;
        if (settings?.pxe !== undefined) {
          // Dasharo UEFI keeps it as the UEFI variable NetworkBoot in SMMSTORE (flash/image/smmstore.ts).
          const uefi = run.firmware.flashed?.flavour === 'dasharo-uefi';
          const on = (v: boolean) => (uefi ? `SMMSTORE NetworkBoot=${v ? 1 : 0}` : `bootorder "pxen${v ? 1 : 0}"`);
          await noted(`read back from the chip after flashing: ${on(settings.pxe)}`);
          assertWithDiagnosis(
            settings.pxe,
            `network boot is disabled in the firmware settings (${on(false)})\n  remedy: ${uefi ? 'flash with --settings pxe=on, or "Enable network boot" in the setup menu' : 'enable "pxen1"'}`,
          );
          return;
        }
        if (run.boot.record.assumed) skipBecause(this, 'board was already booted (--assume)');
        // The firmware offered network boot ("N for PXE boot", pxen1) and the board reached iPXE.
        await show(/Press F\d+ key now for boot menu/);
        const reached = await show(/\biPXE \(|iPXE \d|iPXE initialising devices/);
        assert.ok(
          reached.length > 0 || run.boot.record.timings.some((t) => t.stage === 'ipxe'),
          'the board never reached iPXE: network boot is off or the firmware has no iPXE',
        );
      });

      it('booted without hanging', async () => {
        const { hangs, attempts } = run.boot.record;
        await showHits(
          'hangs or deaths',
          `${attempts} boot attempt${attempts === 1 ? '' : 's'}`,
          hangs.map((h) => ({ line: h.attempt, text: `attempt ${h.attempt}, stage ${h.stage}: ${h.reason}` })),
        );
        const detail = hangs
          .map((h) => `attempt ${h.attempt}, stage ${h.stage}: ${h.reason}\n${h.lastLines}`)
          .join('\n---\n');
        assert.equal(hangs.length, 0, `${hangs.length} of ${attempts} boot attempts hung or died:\n${detail}`);
      });
    });
  },
);
