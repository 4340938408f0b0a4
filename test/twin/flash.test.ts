// `iommu-lab flash` against the twin bench, the way a user runs it: OpenSSH to the twin's
// controller (flashrom shim → dummy chip = the twin's flash file), the RTE API switching relay
// and SPI mux. The chip is put back as it was found (known-good restore) at the end.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as runCliOnce } from '../../lib/cli/program.ts';
import { parseBootorder } from '../../lib/firmware/image/bootorder.ts';
import { inspectImage, readBootorderBytes } from '../../lib/firmware/image/inspect.ts';
import { twinPaths } from '../../twin/base/paths.ts';
import { buildTwinFirmware } from '../../twin/firmware/build.ts';

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

  it('flashes a release image with IOMMU off and the chip comes out iommu1/pxen1', async () => {
    const img = await buildTwinFirmware({ out: join(dir, 'apu2_v4.19.0.1-twin.rom'), iommu: false, pxe: false });
    assert.equal(await runCli(['flash', '--rig', 'apu2-twin', img.path]), 0);
    const chip = readFileSync(twinPaths.flashImage);
    const info = inspectImage(chip);
    const knobs = parseBootorder(readBootorderBytes(chip, info.bootorder!)).settings;
    assert.equal(knobs.iommu, '1');
    assert.equal(knobs.pxen, '1');
    assert.equal(info.identity.version, 'v4.19.0.1-twin');
  });

  it('refuses a wrong-size image and leaves the twin chip untouched', async () => {
    const before = readFileSync(twinPaths.flashImage);
    const small = join(dir, 'small.rom');
    writeFileSync(small, before.subarray(0, 4096));
    assert.equal(await runCli(['flash', '--rig', 'apu2-twin', small]), 2);
    assert.ok(readFileSync(twinPaths.flashImage).equals(before));
  });
});
