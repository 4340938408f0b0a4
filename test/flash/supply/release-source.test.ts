// A Dasharo release named by flavour:version:board with the user's ROM, end to end through
// flashFirmware: a real HTTP server on 127.0.0.1 serves the release folders as dl.3mdeb.com
// lays them out, with a .sha256 and a .sha256.sig made by a real gpg key; a real flashrom dummy
// chip. Every refusal is one line, leaves the chip byte-identical and never switches the board.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { flashFirmware } from '../../../flash/flasher/flash-firmware.ts';
import { sha256Hex } from '../../../flash/supply/checksum.ts';
import { resolveImage } from '../../../flash/supply/source.ts';
import { makeSigningKey, requireGpg, type SigningKey } from '../../helpers/gpg.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { type FlashBench, makeFlashBench, writeImage } from '../flasher/bench-fixture.ts';
import { buildTestImage } from '../image/build-image.ts';

const rom = buildTestImage({ layout: 'fmap', version: 'v24.08.00.01' });
const old = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
const SEABIOS = '/pcengines_apu2/seabios/v24.08.00.01/pcengines_apu2_seabios_v24.08.00.01.rom.sha256';
const SPEC = 'dasharo-seabios:v24.08.00.01:apu2';

async function serve(files: Record<string, Buffer | string>): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': String(Buffer.byteLength(body)) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

describe('flash supply: a Dasharo release with the user ROM', function () {
  this.timeout(60_000);
  let b: FlashBench;
  let key: SigningKey | undefined;
  let keysDir: string;
  let http: Awaited<ReturnType<typeof serve>>;
  const sums = `${sha256Hex(rom)}  pcengines_apu2_seabios_v24.08.00.01.rom\n`;

  async function start(files: Record<string, Buffer | string>) {
    http = await serve(files);
  }
  beforeEach(() => {
    b = makeFlashBench();
    b.setChip(old);
    keysDir = tempDir('keys-');
  });
  afterEach(async () => {
    b.cleanup();
    if (http) await new Promise((r) => http.server.close(r));
  });
  after(() => key?.cleanup());

  /** The key of the 24.08.00.x line, as keys/dasharo/ would hold it: here a test key. */
  function releaseKey(): SigningKey {
    key ??= makeSigningKey();
    writeFileSync(join(keysDir, 'dasharo-release-24.08.00.x-for-pc-engines-signing-key.asc'), key.publicKey);
    return key;
  }

  const flash = (file: string | undefined, opts: Record<string, unknown> = {}, spec = SPEC) =>
    flashFirmware({ rig: b.rig, power: b.power }, spec, {
      cacheRoot: b.cacheRoot,
      file,
      ...opts,
      release: { base: http.url, keysDir, ...(opts.release as object) },
    });

  async function refused(file: string | undefined, code: string, re: RegExp, opts = {}, spec = SPEC) {
    const before = b.chip();
    await assert.rejects(flash(file, opts, spec), (e: Error & { code?: string }) => {
      assert.equal(e.code, code, e.message);
      assert.match(e.message, re);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    });
    assert.ok(b.chip().equals(before), 'the chip backing file is byte-identical');
    assert.deepEqual(b.power.log, [], 'the board was never switched');
  }

  it('flashes the published ROM, the signature verified with the release key, and records both', async function () {
    requireGpg(this);
    const k = releaseKey();
    await start({ [SEABIOS]: sums, [`${SEABIOS}.sig`]: k.sign(sums) });
    const r = await flash(writeImage(b, 'my-copy.rom', rom));
    assert.equal(r.outcome.kind, 'verified');
    assert.equal(r.image.checksum, 'release');
    assert.equal(r.image.flavour, 'dasharo-seabios');
    assert.equal(r.image.origin, `${SPEC} (${join(b.dir, 'my-copy.rom')})`);
    assert.deepEqual(r.image.release, {
      flavour: 'dasharo-seabios',
      version: 'v24.08.00.01',
      board: 'apu2',
      sha256Url: `${http.url}${SEABIOS}`,
      signature: `verified: dasharo-release-24.08.00.x-for-pc-engines-signing-key.asc ${k.fingerprint}`,
      signatureChecked: true,
    });
    assert.deepEqual(http.hits, [SEABIOS, `${SEABIOS}.sig`], 'only the checksum and its signature: no ROM download');
  });

  it('refuses a file that is not the release, saying the ROM is not downloadable and how to build it', async () => {
    await start({ [SEABIOS]: sums });
    await refused(
      writeImage(b, 'other.rom', old),
      'REFUSED_CHECKSUM',
      /the file is not dasharo-seabios:v24\.08\.00\.01:apu2: its SHA-256 is [0-9a-f]{64}, http:\S+\.rom\.sha256 says [0-9a-f]{64}; the ROM itself is not downloadable: it comes with a Dasharo Pro Package subscription .*build it reproducibly from source \(the Dasharo\/dasharo-pq 24\.08\.00\.01 README/,
    );
  });

  it('refuses a release without a ROM file, or with a missing one, before any download', async () => {
    await start({ [SEABIOS]: sums });
    await refused(
      undefined,
      'REFUSED_NO_ROM',
      /give your copy of the ROM with --firmware-file; the ROM itself is not downloadable/,
    );
    await refused(
      join(b.dir, 'nope.rom'),
      'REFUSED_NO_ROM',
      /--firmware-file \S+nope\.rom: no such file; .*Dasharo Pro Package/,
      {},
      'dasharo-uefi:v0.9.1:apu2',
    );
    assert.deepEqual(http.hits, []);
  });

  it('refuses a checksum signed by another key, and a checksum altered after signing', async function () {
    requireGpg(this);
    releaseKey();
    const stranger = makeSigningKey('not 3mdeb <x@example.invalid>');
    try {
      await start({ [SEABIOS]: sums, [`${SEABIOS}.sig`]: stranger.sign(sums) });
      await refused(
        writeImage(b, 'r.rom', rom),
        'REFUSED_SIGNATURE',
        /\.sha256\.sig: not signed by the key in dasharo-release-24\.08\.00\.x/,
      );
    } finally {
      stranger.cleanup();
    }
    await new Promise((r) => http.server.close(r));
    await start({ [SEABIOS]: sums, [`${SEABIOS}.sig`]: releaseKey().sign(sums.replace(/^./, '0')) });
    await refused(writeImage(b, 'r.rom', rom), 'REFUSED_SIGNATURE', /BAD signature/);
  });

  it('without gpg the signature is not checked, and the report says why', async () => {
    await start({ [SEABIOS]: sums, [`${SEABIOS}.sig`]: 'never fetched' });
    const img = await resolveImage(SPEC, {
      file: writeImage(b, 'r.rom', rom),
      release: { base: http.url, keysDir, gpg: '/nonexistent/gpg' },
    });
    assert.equal(img.release?.signatureChecked, false);
    assert.equal(img.release?.signature, 'not checked: /nonexistent/gpg is not on PATH (apt-get install gpg)');
    assert.deepEqual(http.hits, [SEABIOS], 'the .sig is not fetched when nothing can check it');
  });

  it('a release line whose .sig is not published: flashed, signature not checked', async function () {
    requireGpg(this);
    releaseKey();
    await start({ [SEABIOS]: sums });
    const r = await flash(writeImage(b, 'r.rom', rom));
    assert.equal(
      r.image.release?.signature,
      'not checked: no pcengines_apu2_seabios_v24.08.00.01.rom.sha256.sig published',
    );
  });

  it('refuses a missing published checksum (404); another board or flavour before any download', async () => {
    await start({});
    await refused(
      writeImage(b, 'r.rom', rom),
      'REFUSED_NOT_FOUND',
      /the published checksum http:\S+ is not there \(HTTP 404\)/,
    );
    http.hits.length = 0;
    await refused(
      writeImage(b, 'r.rom', rom),
      'REFUSED_WRONG_BOARD',
      /dasharo-seabios:v24\.08\.00\.01:apu4 is the apu4 build, the rig's board is .*--force-board/,
      {},
      'dasharo-seabios:v24.08.00.01:apu4',
    );
    await refused(
      writeImage(b, 'r.rom', rom),
      'REFUSED_FLAVOUR',
      /is dasharo-seabios, not the dasharo-uefi --flavour/,
      {
        flavour: 'dasharo-uefi',
      },
    );
    assert.deepEqual(http.hits, []);
  });

  it('refuses --sha256 with a release and --firmware-file without one', async () => {
    await start({});
    await refused(writeImage(b, 'r.rom', rom), 'REFUSED_RELEASE', /--sha256 does not go with a release/, {
      sha256: sha256Hex(rom),
    });
    const before = b.chip();
    await assert.rejects(
      flashFirmware({ rig: b.rig, power: b.power }, writeImage(b, 'plain.rom', rom), {
        cacheRoot: b.cacheRoot,
        file: 'x.rom',
      }),
      /--firmware-file goes with a Dasharo release/,
    );
    assert.ok(b.chip().equals(before));
  });
});
