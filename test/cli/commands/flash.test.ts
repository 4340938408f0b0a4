// `iommu-lab flash` end to end through the CLI entry, on a dummy chip behind a local flasher.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readNetworkBoot } from '../../../flash/image/smmstore.ts';
import { sha256Hex } from '../../../flash/supply/checksum.ts';
import { knownGoodPath } from '../../../flash/supply/known-good.ts';
import { runCli } from '../../../lib/cli/program.ts';
import { type FlashBench, makeFlashBench, writeImage } from '../../flash/flasher/bench-fixture.ts';
import { buildTestImage, UEFI_FMD } from '../../flash/image/build-image.ts';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await runCli(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
    process.exitCode = before;
  }
}

describe('iommu-lab flash (CLI)', function () {
  this.timeout(60_000);
  let b: FlashBench;
  let rigFile: string;
  const old = buildTestImage({ layout: 'fmap', version: 'v4.18.0.1' });
  const fresh = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
  beforeEach(() => {
    b = makeFlashBench();
    b.setChip(old);
    process.env.IOMMU_LAB_CACHE = b.cacheRoot;
    const { provider: _p, ...rig } = b.rig as unknown as Record<string, unknown>;
    rigFile = join(b.dir, 'rig.json');
    writeFileSync(
      rigFile,
      JSON.stringify({
        ...rig,
        power: { kind: 'command', on: ['true'], off: ['true'], minOffMs: 0 },
        lock: { kind: 'local', dir: join(b.dir, 'locks') },
      }),
    );
  });
  afterEach(() => {
    delete process.env.IOMMU_LAB_CACHE;
    b.cleanup();
  });

  it('refuses a wrong-size image with one line and exit 2, chip untouched', async () => {
    const r = await cli(['flash', '--rig', rigFile, writeImage(b, 'half.rom', fresh.subarray(0, 1024))]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^iommu-lab: flash refused: image is 1024 bytes, the rig's chip .* holds 8388608$/);
    assert.ok(b.chip().equals(old));
  });

  it('--settings iommu=off on a Dasharo UEFI image: one line, exit 2, chip untouched', async () => {
    const uefi = buildTestImage({
      layout: 'fmap',
      fmd: UEFI_FMD,
      version: 'v0.9.1',
      config: ['CONFIG_PAYLOAD_EDK2=y'],
    });
    const r = await cli(['flash', '--rig', rigFile, '--settings', 'iommu=off', writeImage(b, 'uefi.rom', uefi)]);
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      'iommu-lab: flash refused: iommu=off: Dasharo (coreboot+UEFI) has no IOMMU switch (always on, IVRS always written)',
    );
    assert.ok(b.chip().equals(old));
  });

  it('--settings pxe=on|off on a Dasharo UEFI image: NetworkBoot written into SMMSTORE and read back', async () => {
    const uefi = buildTestImage({
      layout: 'fmap',
      fmd: UEFI_FMD,
      version: 'v0.9.1',
      config: ['CONFIG_PAYLOAD_EDK2=y'],
    });
    const on = await cli(['flash', '--rig', rigFile, '--settings', 'iommu=on,pxe=on', writeImage(b, 'uefi.rom', uefi)]);
    assert.equal(on.code, 0, on.err);
    assert.match(
      on.out,
      /^ {2}settings {2}SMMSTORE variable store created \(region was erased\), NetworkBoot \(none\)→on; chip now NetworkBoot=on, IOMMU always on \(verified by flashrom\)$/m,
    );
    assert.match(
      on.out,
      /^ {2}warning {3}Dasharo UEFI has no IOMMU switch: always on, nothing to write for iommu=on$/m,
    );
    assert.equal(readNetworkBoot(b.chip()), true);
    const off = await cli([
      'flash',
      '--rig',
      rigFile,
      '--settings',
      'pxe=off',
      '--read-back',
      writeImage(b, 'uefi.rom', uefi),
    ]);
    assert.equal(off.code, 0, off.err);
    assert.match(off.out, /chip now NetworkBoot=off, IOMMU always on$/m);
    assert.equal(readNetworkBoot(b.chip()), false);
  });

  it('an image that does not tell its flavour: exit 2 naming --flavour; with --flavour it is flashed and printed', async () => {
    const src = writeImage(b, 'odd.rom', buildTestImage({ layout: 'fmap', version: 'lab-build-3' }));
    const r = await cli(['flash', '--rig', rigFile, src]);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /^iommu-lab: flash refused: cannot tell the image's flavour .*--flavour pcengines\|dasharo-seabios\|dasharo-uefi\|coreboot$/,
    );
    assert.ok(b.chip().equals(old));
    const ok = await cli(['flash', '--rig', rigFile, '--flavour', 'coreboot', src]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /^ {2}flavour {3}coreboot \(--flavour\)$/m);
    const bad = await cli(['flash', '--rig', rigFile, '--flavour', 'dasharo', src]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--flavour: "dasharo" is not one of/);
  });

  it('flashes with --settings, reads the chip, restores the known-good', async () => {
    const r = await cli(['flash', '--rig', rigFile, '--settings', 'iommu=on,pxe=off', writeImage(b, 'f.rom', fresh)]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /: verified — written and verified/);
    assert.match(r.out, /chip now iommu=on pxe=off/);
    const out = join(b.dir, 'read.rom');
    assert.equal((await cli(['flash', '--rig', rigFile, '--read', out])).code, 0);
    assert.ok(readFileSync(out).equals(b.chip()));
    // The first read adopted the old image as known-good; --restore writes it back as is.
    assert.ok(existsSync(knownGoodPath(b.rig.name, b.cacheRoot)));
    const back = await cli(['flash', '--rig', rigFile, '--restore']);
    assert.equal(back.code, 0, back.err);
    assert.ok(b.chip().equals(old));
  });

  it('--mark-known-good keeps the image last written', async () => {
    await cli(['flash', '--rig', rigFile, writeImage(b, 'f.rom', fresh)]);
    const written = b.chip();
    const r = await cli(['flash', '--rig', rigFile, '--mark-known-good']);
    assert.equal(r.code, 0, r.err);
    assert.ok(readFileSync(knownGoodPath(b.rig.name, b.cacheRoot)).equals(written));
  });

  it('a Dasharo release with --firmware-file: checked against the .sha256 on the mirror, flashed, the check printed', async () => {
    const rom = buildTestImage({ layout: 'fmap', version: 'v24.08.00.01' });
    const path = '/pcengines_apu2/seabios/v24.08.00.01/pcengines_apu2_seabios_v24.08.00.01.rom.sha256';
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url !== path) return void res.writeHead(404).end();
      res.end(`${sha256Hex(rom)}  pcengines_apu2_seabios_v24.08.00.01.rom\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env.IOMMU_LAB_DASHARO_MIRROR = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const spec = 'dasharo-seabios:v24.08.00.01:apu2';
      const wrong = await cli(['flash', '--rig', rigFile, spec, '--firmware-file', writeImage(b, 'x.rom', fresh)]);
      assert.equal(wrong.code, 2);
      assert.match(
        wrong.err,
        /^iommu-lab: flash refused: the file is not dasharo-seabios:v24\.08\.00\.01:apu2: .*Dasharo Pro Package.*$/,
      );
      assert.ok(b.chip().equals(old));
      const r = await cli(['flash', '--rig', rigFile, spec, '--firmware-file', writeImage(b, 'mine.rom', rom)]);
      assert.equal(r.code, 0, r.err);
      assert.match(
        r.out,
        /^ {2}image {5}dasharo-seabios:v24\.08\.00\.01:apu2 \(\S+mine\.rom\) sha256 [0-9a-f]{64}, checksum release$/m,
      );
      assert.match(
        r.out,
        /^ {2}release {3}http:\/\/127\.0\.0\.1:\d+\/pcengines_apu2\/seabios\/\S+\.rom\.sha256; signature not checked: /m,
      );
      assert.ok(
        hits.every((h) => h.startsWith(path)),
        'only the checksum (and its .sig) were asked for',
      );
    } finally {
      delete process.env.IOMMU_LAB_DASHARO_MIRROR;
      await new Promise((r) => server.close(r));
    }
  });

  it('rejects a malformed --settings as a usage error', async () => {
    const r = await cli(['flash', '--rig', rigFile, '--settings', 'iommu=maybe', 'x.rom']);
    assert.equal(r.code, 2);
    assert.match(r.err, /iommu=maybe/);
  });
});
