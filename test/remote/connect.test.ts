// Logging in: password, private key (file with ~), and each way a login fails, as RigErrors
// that name user@host:port and never the secret.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import { generateKeyPair, startSshServer, type TestSshServer } from '../helpers/ssh-server.ts';

const PW_ENV = 'IOMMU_LAB_TEST_SSH_PASSWORD';

describe('remote/connect', () => {
  const client = generateKeyPair();
  let password: string;
  let server: TestSshServer;
  let dir: string;
  before(async () => {
    password = `pw-${randomBytes(10).toString('hex')}`;
    process.env[PW_ENV] = password;
    server = await startSshServer({ password, clientPublicKey: client.public });
    dir = await mkdtemp(join(tmpdir(), 'iommu-lab-ssh-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs in with a password from the environment', async () => {
    const shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'dom0');
    assert.equal((await shell.run('echo $((6*7))')).stdout, '42\n');
    assert.equal(shell.description, `dom0 tester@127.0.0.1:${server.port}`);
    await shell.close();
  });

  it('logs in with a private key file named with ~', async () => {
    const oldHome = process.env.HOME;
    process.env.HOME = dir; // os.homedir() follows HOME, so ~ points into the temp dir
    try {
      await writeFile(join(dir, 'id_test'), client.private, { mode: 0o600 });
      const shell = await openRemote(server.target({ privateKey: { file: '~/id_test' } }), 'controller');
      assert.equal((await shell.run('echo key')).stdout, 'key\n');
      await shell.close();
    } finally {
      process.env.HOME = oldHome;
    }
  });

  it('a wrong password is SSH_AUTH naming user@host:port, without the password', async () => {
    const wrong = `bad-${randomBytes(10).toString('hex')}`;
    process.env.IOMMU_LAB_TEST_WRONG_PW = wrong;
    await assert.rejects(
      openRemote(server.target({ password: { env: 'IOMMU_LAB_TEST_WRONG_PW' } }), 'dom0'),
      (e: unknown) => {
        assert.ok(isRigError(e));
        assert.equal(e.code, 'SSH_AUTH');
        assert.match(e.message, new RegExp(`tester@127\\.0\\.0\\.1:${server.port}`));
        assert.match(e.message, /password/);
        assert.ok(!e.message.includes(wrong), e.message);
        assert.ok(!e.message.includes(password), e.message);
        assert.ok(!String(e.stack).includes(wrong));
        return true;
      },
    );
  });

  it('a key the server does not accept is SSH_AUTH', async () => {
    const other = generateKeyPair();
    await writeFile(join(dir, 'id_other'), other.private);
    await assert.rejects(openRemote(server.target({ privateKey: { file: join(dir, 'id_other') } }), 'dom0'), {
      code: 'SSH_AUTH',
    });
  });

  it('a file that is no private key is SSH_KEY_INVALID, without its content', async () => {
    const junk = `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(30).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    await writeFile(join(dir, 'id_junk'), junk);
    await assert.rejects(
      openRemote(server.target({ privateKey: { file: join(dir, 'id_junk') } }), 'dom0'),
      (e: unknown) => {
        assert.ok(isRigError(e));
        assert.equal(e.code, 'SSH_KEY_INVALID');
        assert.ok(!e.message.includes(junk.split('\n')[1]));
        return true;
      },
    );
  });

  it('a closed port is SSH_REFUSED with host:port', async () => {
    const gone = await startSshServer({ password });
    await gone.close();
    await assert.rejects(openRemote(gone.target({ password: { env: PW_ENV } }), 'dom0'), (e: unknown) => {
      assert.ok(isRigError(e));
      assert.equal(e.code, 'SSH_REFUSED');
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${gone.port}`));
      return true;
    });
  });

  it('a server that accepts TCP but never speaks SSH is SSH_TIMEOUT', async () => {
    const mute: Server = createServer(() => {});
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
    const port = (mute.address() as { port: number }).port;
    const t0 = Date.now();
    try {
      await assert.rejects(
        openRemote(server.target({ port, password: { env: PW_ENV }, connectTimeoutMs: 300 }), 'dom0'),
        (e: unknown) => {
          assert.ok(isRigError(e));
          assert.equal(e.code, 'SSH_TIMEOUT');
          assert.match(e.message, new RegExp(`:${port}: no SSH handshake within 300 ms`));
          return true;
        },
      );
      assert.ok(Date.now() - t0 < 3000);
    } finally {
      mute.close();
    }
  });

  it('a missing password variable is refused before connecting', async () => {
    delete process.env.IOMMU_LAB_TEST_UNSET_PW;
    await assert.rejects(openRemote(server.target({ password: { env: 'IOMMU_LAB_TEST_UNSET_PW' } }), 'dom0'), {
      code: 'SECRET_MISSING',
    });
  });
});
