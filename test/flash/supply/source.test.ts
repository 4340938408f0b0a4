// Image sources and refusals, with a real HTTP server on 127.0.0.1 and a real dummy chip: every
// refusal leaves the chip's backing file byte-identical and never switches the board off.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flashFirmware } from '../../../flash/flasher/flash-firmware.ts';
import { sha256Hex } from '../../../flash/supply/checksum.ts';
import { resolveImage } from '../../../flash/supply/source.ts';
import { type FlashBench, makeFlashBench, writeImage } from '../flasher/bench-fixture.ts';
import { buildTestImage } from '../image/build-image.ts';

const image = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
const other = buildTestImage({ layout: 'fmap', version: 'v4.17.0.2' });

interface Served {
  url: string;
  hits: Record<string, number>;
  server: Server;
}

/** Serves `files` by path; "/cut.rom" announces the whole image but sends half and drops. */
async function serve(files: Record<string, Buffer | string>): Promise<Served> {
  const hits: Record<string, number> = {};
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === '/cut.rom') {
      res.writeHead(200, { 'content-length': String(image.length) });
      res.write(image.subarray(0, image.length / 2));
      setTimeout(() => res.destroy(), 10);
      return;
    }
    const body = files[path];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': String(Buffer.byteLength(body)) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

describe('flash image sources and refusals', function () {
  this.timeout(60_000);
  let b: FlashBench;
  let http: Served;
  beforeEach(async () => {
    b = makeFlashBench();
    b.setChip(other);
    http = await serve({
      '/apu2_v4.19.0.1.rom': image,
      '/apu2_v4.19.0.1.SHA256': `${sha256Hex(image)}  apu2_v4.19.0.1.rom\n`,
      '/bad.rom': image,
      '/bad.rom.sha256': `${'0'.repeat(64)}  bad.rom\n`,
    });
  });
  afterEach(async () => {
    b.cleanup();
    await new Promise((r) => http.server.close(r));
  });

  const flash = (src: string, opts = {}) =>
    flashFirmware({ rig: b.rig, power: b.power }, src, { cacheRoot: b.cacheRoot, ...opts });

  async function refused(src: string, code: string, re: RegExp, opts = {}) {
    const before = b.chip();
    await assert.rejects(flash(src, opts), (e: Error & { code?: string }) => {
      assert.equal(e.code, code, e.message);
      assert.match(e.message, re);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    });
    assert.ok(b.chip().equals(before), 'the chip backing file is byte-identical');
    assert.deepEqual(b.power.log, [], 'the board was never switched');
  }

  it('refuses an image of the wrong size', () =>
    refused(
      writeImage(b, 'small.rom', image.subarray(0, 4 * 1024 * 1024)),
      'REFUSED_SIZE',
      /4194304 bytes.*holds 8388608/,
    ));

  it('refuses bytes that are not coreboot', () =>
    refused(
      writeImage(b, 'junk.rom', Buffer.alloc(8 * 1024 * 1024, 0x5a)),
      'REFUSED_NOT_COREBOOT',
      /no FMAP and no CBFS/,
    ));

  it("refuses another board's image unless --force-board", async () => {
    const apu4 = writeImage(b, 'apu4.rom', buildTestImage({ layout: 'fmap', board: 'apu4' }));
    await refused(apu4, 'REFUSED_WRONG_BOARD', /PC Engines apu4.*PC Engines apu2.*--force-board/);
    const r = await flash(apu4, { forceBoard: true });
    assert.equal(r.outcome.kind, 'verified');
    assert.ok(r.warnings.some((w) => /apu4/.test(w)));
  });

  it('refuses on a --sha256 mismatch and on a sidecar mismatch', async () => {
    await refused(writeImage(b, 'x.rom', image), 'REFUSED_CHECKSUM', /SHA-256 is [0-9a-f]{64}, --sha256 says 1{64}/, {
      sha256: '1'.repeat(64),
    });
    await refused(`${http.url}/bad.rom`, 'REFUSED_CHECKSUM', /bad\.rom\.sha256 says 0{64}/);
  });

  it('a truncated download is a clear error, after retries, and touches nothing', async () => {
    const before = b.chip();
    await assert.rejects(flash(`${http.url}/cut.rom`), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'DOWNLOAD_TRUNCATED');
      assert.match(e.message, /truncated: got \d+ of 8388608 bytes/);
      return true;
    });
    assert.equal(http.hits['/cut.rom'], 3, 'first try + 2 retries');
    assert.ok(b.chip().equals(before));
  });

  it('downloads with the published .SHA256 sidecar, then serves the next run from the cache', async () => {
    const url = `${http.url}/apu2_v4.19.0.1.rom`;
    const first = await resolveImage(url, { cacheRoot: b.cacheRoot });
    assert.equal(first.checksum, 'sidecar');
    assert.equal(first.fromCache, false);
    const second = await resolveImage(url, { cacheRoot: b.cacheRoot });
    assert.equal(second.fromCache, true);
    assert.equal(http.hits['/apu2_v4.19.0.1.rom'], 1, 'the image was downloaded once');
    assert.ok(second.bytes.equals(image));
    const r = await flash(url);
    assert.equal(r.outcome.kind, 'verified');
    assert.equal(r.image.checksum, 'sidecar');
  });

  it('refuses a missing URL (404) as a usage error', () =>
    refused(`${http.url}/nope.rom`, 'REFUSED_NOT_FOUND', /HTTP 404/));
});
