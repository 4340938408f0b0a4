// flashFirmware() against a real flashrom dummy chip on this host.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { flashFirmware } from '../../../flash/flasher/flash-firmware.ts';
import { parseBootorder } from '../../../flash/image/bootorder.ts';
import { findFmap, fmapArea } from '../../../flash/image/fmap.ts';
import { inspectImage, readBootorderBytes } from '../../../flash/image/inspect.ts';
import { readNetworkBoot, writeNetworkBoot } from '../../../flash/image/smmstore.ts';
import { knownGoodPath } from '../../../flash/supply/known-good.ts';
import { UsageError } from '../../../lib/core/errors.ts';
import { buildTestImage, DEFAULT_KNOBS, UEFI_FMD } from '../image/build-image.ts';
import { type FlashBench, makeFlashBench, writeImage } from './bench-fixture.ts';

const chipKnobs = (chip: Buffer) => {
  const info = inspectImage(chip);
  return parseBootorder(readBootorderBytes(chip, info.bootorder!)).settings;
};

describe('flashFirmware (real flashrom dummy chip)', function () {
  this.timeout(60_000);
  let b: FlashBench;
  const old = buildTestImage({ layout: 'fmap', version: 'v4.18.0.1' });
  const fresh = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
  beforeEach(() => {
    b = makeFlashBench();
    b.setChip(old);
  });
  afterEach(() => b.cleanup());

  const flash = (src: string, opts = {}) =>
    flashFirmware({ rig: b.rig, power: b.power }, src, { cacheRoot: b.cacheRoot, ...opts });

  it('writes a good image with the rig settings (iommu0 image → iommu1 on the chip) and reads them back', async () => {
    const r = await flash(writeImage(b, 'fresh.rom', fresh), { readBack: true });
    assert.equal(r.outcome.kind, 'verified');
    assert.deepEqual(r.settingsChanged, ['iommu 0→1', 'pxen 0→1']);
    assert.equal(r.chipSettings, 'iommu=on pxe=on');
    assert.deepEqual(r.settingsOnChip, { iommu: true, pxe: true });
    assert.deepEqual(chipKnobs(b.chip()), { ...DEFAULT_KNOBS, iommu: '1', pxen: '1' });
    assert.equal(r.image.version, 'v4.19.0.1');
    assert.ok(r.image.regions.some((x) => x.startsWith('BOOTORDER ')));
    assert.ok(r.lastImage && existsSync(r.lastImage), 'the chip was kept before the flash');
    assert.ok(existsSync(knownGoodPath(b.rig.name, b.cacheRoot)), 'first read adopted as known-good');
    assert.deepEqual(b.power.log, ['off', 'on'], 'board off for the flash, then restored');
  });

  it('in S5: relay on, button held, WP free; the chip written; CMOS cleared; a press starts the board again', async () => {
    const log: string[] = [];
    const power = {
      ...b.power,
      on: async () => void log.push('relay on'),
      state: async () => 'on' as const,
      pressPowerButton: async (ms: number) => void log.push(`button ${ms} ms`),
    };
    const gpio = { set: async (id: number, v: 0 | 1) => void log.push(`gpio ${id}=${v}`) };
    const url = 'http://127.0.0.1:1';
    const rig = {
      ...b.rig,
      flasher: {
        ...b.rig.flasher!,
        powerState: 'S5' as const,
        s5: { powerOnWaitMs: 0, holdMs: 6000, afterHoldMs: 0 },
        writeProtect: { url, gpio: 12 },
        cmosReset: { url, gpio: 11, holdMs: 0, delayMs: 0 },
      },
    };
    const chipBefore = b.chip();
    const r = await flashFirmware({ rig, power, gpio }, writeImage(b, 'fresh.rom', fresh), { cacheRoot: b.cacheRoot });
    assert.equal(r.outcome.kind, 'verified');
    assert.notDeepEqual(b.chip(), chipBefore);
    assert.deepEqual(log, ['relay on', 'button 6000 ms', 'gpio 12=0', 'gpio 11=1', 'gpio 11=0', 'button 1000 ms']);
  });

  it('reads the chip once before writing and hands that read to flashrom (--flash-contents)', async () => {
    const r = await flash(writeImage(b, 'fresh.rom', fresh));
    assert.equal(r.outcome.kind, 'verified');
    // Our read before the write, flashrom's verify; flashrom did not read the chip again itself.
    assert.deepEqual(r.chipPasses, { fullReads: 2, writes: 1 });
    assert.match(r.outcome.output, /Verifying flash\.\.\. VERIFIED/);
    assert.deepEqual(chipKnobs(b.chip()), { ...DEFAULT_KNOBS, iommu: '1', pxen: '1' });
  });

  it('re-flashing the same image is "identical": nothing erased or written', async () => {
    const src = writeImage(b, 'fresh.rom', fresh);
    await flash(src);
    const after = b.chip();
    const r = await flash(src);
    assert.equal(r.outcome.kind, 'identical');
    assert.equal(r.chipSettings, 'iommu=on pxe=on (verified by flashrom)');
    assert.ok(b.chip().equals(after));
  });

  it('sets iommu1 in a pre-v4.14.0.1 image (bootorder in CBFS, with a hash attribute)', async () => {
    const img = buildTestImage({ layout: 'cbfs', hash: true });
    const r = await flash(writeImage(b, 'legacy.rom', img));
    assert.equal(r.outcome.kind, 'verified');
    assert.equal(r.image.bootorderLayout, 'cbfs');
    assert.equal(chipKnobs(b.chip()).iommu, '1');
  });

  it('flashes an image without bootorder as is, warning that IOMMU is unknown', async () => {
    const img = buildTestImage({ layout: 'fmap', knobs: null });
    const r = await flash(writeImage(b, 'nobo.rom', img));
    assert.equal(r.outcome.kind, 'verified');
    assert.ok(r.warnings.some((w) => /IOMMU setting unknown/.test(w)));
    assert.equal(r.chipSettings, 'unknown (no bootorder)');
    assert.ok(b.chip().equals(img));
  });

  it('COREBOOT-region flash over a chip with iommu0 in BOOTORDER: detected and fixed, other regions kept', async () => {
    const chip = Buffer.from(old);
    const vpd = fmapArea(findFmap(chip), 'RW_VPD')!;
    chip.fill(0x5a, vpd.offset, vpd.offset + vpd.size); // the board's own data, must survive
    b.setChip(chip);
    const r = await flash(writeImage(b, 'fresh.rom', fresh), { region: 'COREBOOT' });
    assert.ok(['verified', 'identical'].includes(r.outcome.kind), r.outcome.kind);
    assert.deepEqual(r.settingsChanged, ['iommu 0→1 (chip BOOTORDER)', 'pxen 0→1 (chip BOOTORDER)']);
    const now = b.chip();
    assert.equal(chipKnobs(now).iommu, '1');
    assert.ok(
      now.subarray(vpd.offset, vpd.offset + vpd.size).every((x) => x === 0x5a),
      'RW_VPD kept',
    );
    const cb = fmapArea(findFmap(fresh), 'COREBOOT')!;
    assert.ok(now.subarray(cb.offset, cb.offset + cb.size).equals(fresh.subarray(cb.offset, cb.offset + cb.size)));
  });

  it('an image whose flavour cannot be told is refused before the board is touched; --flavour lets it through', async () => {
    const img = buildTestImage({ layout: 'fmap', version: 'my-build-7' });
    const src = writeImage(b, 'untold.rom', img);
    await assert.rejects(flash(src), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'REFUSED_FLAVOUR');
      assert.match(
        e.message,
        /cannot tell the image's flavour .*: name it with --flavour pcengines\|dasharo-seabios\|dasharo-uefi\|coreboot$/,
      );
      return true;
    });
    assert.deepEqual(b.power.log, [], 'power never switched');
    assert.ok(b.chip().equals(old), 'chip untouched');
    const r = await flash(src, { flavour: 'pcengines' });
    assert.equal(r.outcome.kind, 'verified');
    assert.equal(r.image.flavour, 'pcengines');
    assert.equal(r.image.flavourWhy, '--flavour');
  });

  it('a Dasharo SeaBIOS image: told by its version, bootorder knobs set like PC Engines; --flavour naming another is refused', async () => {
    const img = buildTestImage({ layout: 'fmap', version: 'v24.08.00.01' });
    const src = writeImage(b, 'dasharo.rom', img);
    await assert.rejects(
      flash(src, { flavour: 'pcengines' }),
      /image is dasharo-seabios \(version v24\.08\.00\.01\), not the pcengines --flavour names/,
    );
    const r = await flash(src);
    assert.deepEqual([r.image.flavour, r.image.versionFrom], ['dasharo-seabios', 'image: CBFS config']);
    assert.deepEqual(r.settingsChanged, ['iommu 0→1', 'pxen 0→1']);
    assert.equal(chipKnobs(b.chip()).iommu, '1');
  });

  it('iommu=off on a Dasharo UEFI image: refused (exit-2 usage error), nothing written; iommu=on flashes it as is', async () => {
    const img = buildTestImage({ layout: 'fmap', fmd: UEFI_FMD, version: 'v0.9.1', config: ['CONFIG_PAYLOAD_EDK2=y'] });
    const src = writeImage(b, 'uefi.rom', img);
    await assert.rejects(flash(src, { settings: { iommu: false } }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'REFUSED_SETTING');
      assert.ok(e instanceof UsageError, 'a usage error: exit 2');
      assert.equal(
        e.message,
        'flash refused: iommu=off: Dasharo (coreboot+UEFI) has no IOMMU switch (always on, IVRS always written)',
      );
      return true;
    });
    assert.deepEqual(b.power.log, []);
    assert.ok(b.chip().equals(old));
    const r = await flash(src, { settings: { iommu: true } });
    assert.equal(r.image.flavour, 'dasharo-uefi');
    assert.deepEqual(r.settingsChanged, []);
    assert.ok(
      r.warnings.includes('Dasharo UEFI has no IOMMU switch: always on, nothing to write for iommu=on'),
      r.warnings.join('; '),
    );
    assert.ok(b.chip().equals(img));
  });

  describe('Dasharo UEFI: network boot is NetworkBoot in SMMSTORE', () => {
    const uefiImage = () =>
      buildTestImage({ layout: 'fmap', fmd: UEFI_FMD, version: 'v0.9.1', config: ['CONFIG_PAYLOAD_EDK2=y'] });
    const smmstore = (img: Buffer) => fmapArea(findFmap(img), 'SMMSTORE')!;

    it("the rig's pxe=on: a store made in the erased region, NetworkBoot on, nothing else changed, recorded", async () => {
      const img = uefiImage();
      const a = smmstore(img);
      const r = await flash(writeImage(b, 'uefi.rom', img));
      assert.equal(r.outcome.kind, 'verified');
      assert.deepEqual(r.settingsChanged, [
        'SMMSTORE variable store created (region was erased)',
        'NetworkBoot (none)→on',
      ]);
      assert.equal(r.chipSettings, 'NetworkBoot=on, IOMMU always on (verified by flashrom)');
      assert.deepEqual(r.settingsOnChip, { pxe: true }, 'what the run records as firmware.settings');
      const chip = b.chip();
      assert.equal(readNetworkBoot(chip), true);
      assert.ok(chip.subarray(a.offset + a.size).equals(img.subarray(a.offset + a.size)), 'CBFS and the rest as built');
      assert.equal(r.image.settings, undefined, "the image's own SMMSTORE held no NetworkBoot");
    });

    it('pxe=off over an image that has it on, read back from the chip (--read-back): off', async () => {
      const img = writeNetworkBoot(uefiImage(), true);
      const r = await flash(writeImage(b, 'uefi-on.rom', img), { settings: { pxe: false }, readBack: true });
      assert.deepEqual(r.image.settings, { NetworkBoot: '1' });
      assert.deepEqual(r.settingsChanged, ['NetworkBoot on→off']);
      assert.equal(r.chipSettings, 'NetworkBoot=off, IOMMU always on');
      assert.deepEqual(r.settingsOnChip, { pxe: false });
      assert.equal(readNetworkBoot(b.chip()), false);
    });

    it("--region COREBOOT keeps the chip's SMMSTORE (and says so); --region SMMSTORE writes NetworkBoot", async () => {
      const chip = writeNetworkBoot(uefiImage(), false);
      b.setChip(chip);
      const src = writeImage(b, 'uefi.rom', uefiImage());
      const code = await flash(src, { region: 'COREBOOT' });
      assert.ok(
        code.warnings.includes(
          "--region COREBOOT keeps the chip's SMMSTORE: NetworkBoot not written (read back below)",
        ),
        code.warnings.join('; '),
      );
      assert.equal(code.chipSettings, 'NetworkBoot=off, IOMMU always on (verified by flashrom)');
      assert.equal(readNetworkBoot(b.chip()), false);
      const store = await flash(src, { region: 'SMMSTORE' });
      assert.deepEqual(store.settingsChanged, [
        'SMMSTORE variable store created (region was erased)',
        'NetworkBoot (none)→on',
      ]);
      assert.deepEqual(store.settingsOnChip, { pxe: true });
      assert.equal(readNetworkBoot(b.chip()), true);
    });

    it('an SMMSTORE that is neither erased nor a store: refused before the board is touched', async () => {
      const img = uefiImage();
      img.fill(0, smmstore(img).offset, smmstore(img).offset + 0x100);
      await assert.rejects(flash(writeImage(b, 'uefi-bad.rom', img)), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'REFUSED_VARSTORE');
        assert.equal(
          e.message,
          'flash refused: cannot set NetworkBoot: SMMSTORE: no firmware volume header (no "_FVH" signature at 0x28) (flash it as is without pxe= in --settings)',
        );
        return true;
      });
      assert.deepEqual(b.power.log, []);
      assert.ok(b.chip().equals(old));
      const asIs = await flash(writeImage(b, 'uefi-bad.rom', img), { settings: { iommu: true } });
      assert.equal(asIs.outcome.kind, 'verified');
      assert.match(asIs.chipSettings, /^unknown \(SMMSTORE: no firmware volume header/);
      assert.ok(
        asIs.warnings.some((w) => /^the image's SMMSTORE: no firmware volume header/.test(w)),
        asIs.warnings.join('; '),
      );
    });
  });

  it('an unsupported chip (rig names a Winbond, the chip is a Macronix) fails without writing', async () => {
    b.cleanup();
    b = makeFlashBench({ chipName: 'W25Q64JV-.Q' });
    b.setChip(old);
    await assert.rejects(flash(writeImage(b, 'fresh.rom', fresh)), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FLASH_READ');
      assert.match(e.message, /chip-not-found/);
      return true;
    });
    assert.ok(b.chip().equals(old));
    assert.deepEqual(b.power.log, ['off', 'on'], 'power restored after the failure');
  });
});
