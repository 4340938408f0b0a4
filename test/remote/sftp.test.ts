// Uploads and downloads: byte-exact over SFTP and over the `cat` fallback, progress events,
// and failures that say which file and which host.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import { startSshServer, type TestSshServer } from '../helpers/ssh-server.ts';

const PW_ENV = 'IOMMU_LAB_TEST_SSH_PASSWORD';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('remote/sftp', () => {
  let dir: string;
  let image: Buffer;
  before(async () => {
    process.env[PW_ENV] = randomBytes(12).toString('hex');
    dir = await mkdtemp(join(tmpdir(), 'iommu-lab-sftp-'));
    // ~3 MiB, not a multiple of the 32 KiB transfer chunk, so the last partial chunk counts too.
    image = randomBytes(3 * 1024 * 1024 + 12_345);
    await writeFile(join(dir, 'coreboot.rom'), image);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const sftp of [true, false]) {
    describe(sftp ? 'over SFTP' : 'over `cat` (server without sftp)', () => {
      let server: TestSshServer;
      before(async () => {
        server = await startSshServer({ password: process.env[PW_ENV], sftp });
      });
      after(() => server.close());

      it('uploads and downloads ~3 MiB byte-exact, reporting progress', async () => {
        const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'controller');
        const remote = join(dir, `remote it's ${sftp}.rom`); // a space and a quote: quoting must hold
        const back = join(dir, `back-${sftp}.rom`);
        const events: [string, number, number][] = [];
        const onWork = (label: string, done: number, total: number) => events.push([label, done, total]);
        progress.on('work', onWork);
        try {
          await shell.upload(join(dir, 'coreboot.rom'), remote);
          assert.equal(sha(await readFile(remote)), sha(image));
          await shell.download(remote, back);
          assert.equal(sha(await readFile(back)), sha(image));
        } finally {
          progress.off('work', onWork);
          await shell.close();
        }
        const up = events.filter(([l]) => l === 'upload coreboot.rom');
        assert.ok(up.length >= 2, `upload progress events: ${up.length}`);
        assert.deepEqual(up.at(-1), ['upload coreboot.rom', image.length, image.length]);
        for (let i = 1; i < up.length; i++) assert.ok(up[i][1] >= up[i - 1][1], 'progress goes forward');
        if (sftp) {
          const down = events.filter(([l]) => l.startsWith('download'));
          assert.deepEqual(down.at(-1)?.slice(1), [image.length, image.length]);
        }
      });

      it('a missing remote file is SSH_TRANSFER naming the path and host', async () => {
        const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'controller');
        const missing = join(dir, 'no-such-dir', 'x.rom');
        try {
          await assert.rejects(shell.download(missing, join(dir, 'never')), (e: unknown) => {
            assert.ok(isRigError(e));
            assert.equal(e.code, 'SSH_TRANSFER');
            assert.ok(e.message.includes(missing), e.message);
            assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${server.port}`));
            return true;
          });
          // Over `cat`, the remote's own words: its exit and stderr (not a hang, not "Premature close").
          await assert.rejects(shell.upload(join(dir, 'coreboot.rom'), missing), (e: unknown) => {
            assert.ok(isRigError(e, 'SSH_TRANSFER'), String(e));
            assert.ok(e.message.includes(missing), e.message);
            if (!sftp) assert.match(e.message, /`cat > .*` exited 2: .*(cannot create|Directory nonexistent)/);
            return true;
          });
        } finally {
          await shell.close();
        }
      });
    });
  }

  it('a connection dropped during an upload is SSH_DROPPED', async () => {
    const server = await startSshServer({ password: process.env[PW_ENV] });
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'controller');
    const big = join(dir, 'big.rom');
    await writeFile(big, randomBytes(16 * 1024 * 1024));
    const onWork = () => server.dropConnections();
    progress.once('work', onWork);
    try {
      await assert.rejects(shell.upload(big, join(dir, 'big-remote.rom')), { code: 'SSH_DROPPED' });
    } finally {
      progress.off('work', onWork);
      await shell.close();
      await server.close();
    }
  });
});
