// `iommu-lab flash` against the twin bench, the way a user runs it: OpenSSH to the twin's
// controller (flashrom shim → dummy chip = the twin's flash file), the RTE API switching the relay
// and holding the power button. The twin's chip answers only with the board in S5, as a real
// apu2's on an RTE (3mdeb flashes it in S5; in G3 the RTE's VCC pin is not wired): the S5 flash
// passes, a G3 flash — the old way — fails with flashrom's own "No EEPROM/flash device found".
// The chip is put back as it was found (known-good restore) at the end.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flashFirmware } from '../../flash/flasher/flash-firmware.ts';
import { parseBootorder } from '../../flash/image/bootorder.ts';
import { inspectImage, readBootorderBytes } from '../../flash/image/inspect.ts';
import { runCli as runCliOnce } from '../../lib/cli/program.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { openPower } from '../../lib/power/open.ts';
import { loadRig } from '../../lib/rig/load.ts';
import { twinPaths, twinPorts } from '../../twin/base/paths.ts';
import { ensureTwinUp, twinStatus } from '../../twin/daemon/manage.ts';
import { buildTwinFirmware } from '../../twin/firmware/build.ts';
import { ssh } from './bench-client.ts';

const RTE_SPI = 'linux_spi:dev=/dev/spidev1.0,spispeed=16000';

/** runCli reads process.exitCode, which a previous refusal in this process left set. */
async function runCli(args: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    return await runCliOnce(args);
  } finally {
    process.exitCode = undefined;
  }
}

describe('iommu-lab flash on the twin bench', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-twin-flash-'));
  const cache = join(dir, 'cache');
  let found: Buffer | undefined;
  before(() => {
    process.env.IOMMU_LAB_CACHE = cache;
    if (existsSync(twinPaths.flashImage)) found = readFileSync(twinPaths.flashImage);
  });
  after(async () => {
    if (found) assert.equal(await runCli(['flash', '--rig', 'apu2-twin', '--restore']), 0, 'chip restored');
    if (found) assert.ok(readFileSync(twinPaths.flashImage).equals(found), 'twin chip as found');
    delete process.env.IOMMU_LAB_CACHE;
    rmSync(dir, { recursive: true, force: true });
  });

  it('flashes a release image in S5 (WP released, CMOS cleared) and the chip comes out iommu1/pxen1', async () => {
    const img = await buildTwinFirmware({ out: join(dir, 'apu2_v4.19.0.1-twin.rom'), iommu: false, pxe: false });
    const clears = twinStatus().cmosClears ?? 0;
    assert.equal(await runCli(['flash', '--rig', 'apu2-twin', img.path]), 0);
    const st = twinStatus();
    assert.equal(st.writeProtect, 'released');
    assert.ok((st.cmosClears ?? 0) > clears, `CMOS cleared after the write (${clears} → ${st.cmosClears})`);
    const chip = readFileSync(twinPaths.flashImage);
    const info = inspectImage(chip);
    const knobs = parseBootorder(readBootorderBytes(chip, info.bootorder!)).settings;
    assert.equal(knobs.iommu, '1');
    assert.equal(knobs.pxen, '1');
    assert.equal(info.identity.version, 'v4.19.0.1-twin');
  });

  it("a G3 flash (relay open, as iommu-lab used to flash) finds no chip, in flashrom's own words", async () => {
    await ensureTwinUp(); // as the CLI's session does
    const rig = await loadRig('apu2-twin');
    assert.ok(rig.flasher);
    const g3 = { ...rig, flasher: { ...rig.flasher, powerState: 'G3' as const } };
    const img = await buildTwinFirmware({ out: join(dir, 'g3.rom'), iommu: true, pxe: true, version: 'v4.19.0.2-g3' });
    const before = readFileSync(twinPaths.flashImage);
    const power = await openPower(rig.power);
    await assert.rejects(
      flashFirmware({ rig: g3, power }, img.path, { cacheRoot: cache }),
      (e: unknown) => isRigError(e) && /flashrom found no flash chip/.test(e.message),
    );
    assert.ok(readFileSync(twinPaths.flashImage).equals(before), 'chip untouched');
    // In that same state (relay open), flashrom itself on the controller:
    for (let i = 0; i < 50 && twinStatus().relay !== 'off'; i++) await new Promise((res) => setTimeout(res, 100));
    assert.equal(twinStatus().relay, 'off');
    const r = await ssh(twinPorts.controllerSsh, `flashrom -p ${RTE_SPI} -r /tmp/twin-g3.rom`);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /No EEPROM\/flash device found/);
  });

  it('refuses a wrong-size image and leaves the twin chip untouched', async () => {
    const before = readFileSync(twinPaths.flashImage);
    const small = join(dir, 'small.rom');
    writeFileSync(small, before.subarray(0, 4096));
    assert.equal(await runCli(['flash', '--rig', 'apu2-twin', small]), 2);
    assert.ok(readFileSync(twinPaths.flashImage).equals(before));
  });
});
