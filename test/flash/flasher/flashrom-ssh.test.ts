// flashrom over SSH (in-process ssh2 server running real commands, SFTP upload) on a dummy chip,
// including the connection dropping in the middle of the write.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flashFirmware } from '../../../flash/flasher/flash-firmware.ts';
import { openRemote } from '../../../lib/remote/ssh.ts';
import type { RemoteShell } from '../../../lib/remote/types.ts';
import { generateKeyPair, startSshServer, type TestSshServer } from '../../helpers/ssh-server.ts';
import { buildTestImage } from '../image/build-image.ts';
import { type FlashBench, makeFlashBench, writeImage } from './bench-fixture.ts';

describe('flashFirmware over SSH (bench controller)', function () {
  this.timeout(60_000);
  const old = buildTestImage({ layout: 'fmap', version: 'v4.18.0.1' });
  const fresh = buildTestImage({ layout: 'fmap', version: 'v4.19.0.1' });
  let server: TestSshServer;
  let b: FlashBench;
  let shell: RemoteShell;

  beforeEach(async () => {
    const keys = generateKeyPair();
    server = await startSshServer({ clientPublicKey: keys.public });
    b = makeFlashBench();
    const keyFile = join(b.dir, 'id_ed25519');
    writeFileSync(keyFile, keys.private, { mode: 0o600 });
    const controller = server.target({ privateKey: { file: keyFile } });
    b.rig.flasher = { ...b.rig.flasher!, where: 'ssh', controller, remoteDir: join(b.dir, 'remote') };
    b.setChip(old);
    shell = await openRemote(controller, 'bench controller');
  });
  afterEach(async () => {
    await shell.close();
    await server.close();
    b.cleanup();
  });

  const flash = (src: string) =>
    flashFirmware({ rig: b.rig, power: b.power, controller: shell }, src, { cacheRoot: b.cacheRoot });

  it('uploads with SFTP and writes a good image', async () => {
    const r = await flash(writeImage(b, 'fresh.rom', fresh));
    assert.equal(r.outcome.kind, 'verified');
    assert.match(r.chipSettings, /^iommu=on pxe=on/);
    const cmds = server.execs.map((e) => e.command);
    assert.ok(
      cmds.some((c) => /; flashrom .* -w \S*\/remote\/[0-9a-f]{8}-to-flash\.rom$/.test(c)),
      cmds.join('\n'),
    );
  });

  it('a connection cut mid-write is write-failed, the chip is read back, never reported verified', async () => {
    const src = writeImage(b, 'fresh.rom', fresh);
    const watcher = setInterval(() => {
      const w = server.execs.find((e) => / -w /.test(e.command));
      if (w && !w.exit) {
        clearInterval(watcher);
        setTimeout(() => server.dropConnections(), 300);
      }
    }, 20);
    try {
      await assert.rejects(flash(src), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'FLASH_FAILED', e.message);
        assert.match(e.message, /write-failed: flashrom was cut off/);
        assert.match(e.message, /previous image|known-good image was written back/);
        return true;
      });
    } finally {
      clearInterval(watcher);
    }
    assert.ok(b.chip().equals(old), 'the chip holds the old (known-good) image');
    assert.ok(
      server.execs.filter((e) => / -r /.test(e.command)).length >= 2,
      'the chip was read before the write and read back after the drop',
    );
    assert.deepEqual(b.power.log, ['off', 'on']);
  });
});
