import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installShim, shimScript, writeChipState } from '../../../twin/controller/flashrom-shim.ts';
import { buildTwinFirmware } from '../../../twin/firmware/build.ts';

const run = promisify(execFile);
const CHIP = 'MX25L6436E/MX25L6445E/MX25L6465E/MX25L6473E/MX25L6473F';
const RTE_SPI = 'linux_spi:dev=/dev/spidev1.0,spispeed=16000';

async function flashrom(shim: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(shim, args);
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('twin controller flashrom shim (real flashrom, dummy chip)', function () {
  this.timeout(30_000);
  let dir: string;
  let shim: string;
  let state: string;
  let image: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shim-'));
    state = join(dir, 'spi-mux');
    image = join(dir, 'flash.rom');
    await buildTwinFirmware({ out: image, iommu: true, pxe: true });
    shim = join(await installShim({ dir: join(dir, 'bin'), stateFile: state, flashImage: image }), 'flashrom');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('mux not connected: real flashrom finds no chip', async () => {
    await writeChipState(state, false);
    const r = await flashrom(shim, ['-p', RTE_SPI, '-c', CHIP, '-r', join(dir, 'none.bin')]);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /No EEPROM\/flash device found/);
  });

  it('mux connected: reads the twin flash file, in every -p spelling', async () => {
    await writeChipState(state, true);
    for (const [i, p] of [
      ['-p', RTE_SPI],
      ['-p' + RTE_SPI],
      [`--programmer=${RTE_SPI}`],
      ['--programmer', RTE_SPI],
    ].entries()) {
      const out = join(dir, `read${i}.bin`);
      const r = await flashrom(shim, [...p, '-c', CHIP, '-r', out]);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /Found Macronix flash chip "MX25L6436E/);
      assert.deepEqual(readFileSync(out), readFileSync(image));
    }
  });

  it('mux connected: a write lands in the twin flash file; a wrong chip name finds nothing', async () => {
    await writeChipState(state, true);
    const next = join(dir, 'next.rom');
    await buildTwinFirmware({ out: next, iommu: false, pxe: false, version: 'v4.19.0.2-twin' });
    const w = await flashrom(shim, ['-p', RTE_SPI, '-c', CHIP, '-w', next]);
    assert.equal(w.code, 0, w.out);
    assert.match(w.out, /VERIFIED/);
    assert.deepEqual(readFileSync(image), readFileSync(next));
    const wrong = await flashrom(shim, ['-p', RTE_SPI, '-c', 'W25Q64JV-.Q', '-r', join(dir, 'w.bin')]);
    assert.notEqual(wrong.code, 0);
  });

  it('passes other programmers and arguments through unchanged (with odd characters intact)', async () => {
    const odd = join(dir, "it's a file.bin");
    writeFileSync(odd, Buffer.alloc(8 * 1024 * 1024, 0xff));
    const r = await flashrom(shim, ['-p', 'dummy', '-c', CHIP, '-r', odd]);
    assert.match(r.out, /No EEPROM\/flash device found/);
    assert.equal(readFileSync(odd).length, 8 * 1024 * 1024);
  });

  it('refuses a flash path flashrom could not parse (commas split dummy parameters)', () => {
    assert.throws(() => shimScript({ dir, stateFile: state, flashImage: '/a,b/flash.rom' }), /comma/);
  });
});
