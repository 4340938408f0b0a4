// Host key checking end to end: fingerprints, known_hosts files written by the real OpenSSH
// tools (ssh-keyscan, ssh-keygen -H), mismatches, unknown hosts, and the explicit opt-out.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isRigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { knownHostsLine } from '../../lib/remote/known-hosts.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import type { SshTarget } from '../../lib/rig/schema.ts';
import { generateKeyPair, publicKeyFingerprint, startSshServer, type TestSshServer } from '../helpers/ssh-server.ts';

const PW_ENV = 'IOMMU_LAB_TEST_SSH_PASSWORD';

describe('remote/host-key', () => {
  let server: TestSshServer;
  let dir: string;
  const ecdsa = generateKeyPair('ecdsa');
  before(async () => {
    process.env[PW_ENV] = randomBytes(12).toString('hex');
    // Like a real sshd: several host keys; the client prefers ed25519 when free to choose.
    server = await startSshServer({ password: process.env[PW_ENV], extraHostKeys: [ecdsa] });
    dir = await mkdtemp(join(tmpdir(), 'iommu-lab-kh-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const target = (hostKey: SshTarget['hostKey']) => server.target({ hostKey, password: { env: PW_ENV } });
  async function connects(hostKey: SshTarget['hostKey']): Promise<void> {
    const shell = await openRemote(target(hostKey), 'dom0');
    assert.equal((await shell.run('echo in')).stdout, 'in\n');
    await shell.close();
  }
  async function knownHosts(name: string, lines: string[]): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, `${lines.join('\n')}\n`);
    return file;
  }

  it('computes fingerprints exactly like ssh-keygen -lf', async () => {
    const pub = join(dir, 'host.pub');
    await writeFile(pub, `${server.hostKey.public}\n`);
    const out = execFileSync('ssh-keygen', ['-lf', pub], { encoding: 'utf8' });
    assert.equal(out.split(' ')[1], server.hostKeyFingerprint);
  });

  it('accepts the fingerprint given in the rig', () => connects({ fingerprint: server.hostKeyFingerprint }));

  it('a different fingerprint is SSH_HOST_KEY_MISMATCH naming expected and offered', async () => {
    const other = publicKeyFingerprint(generateKeyPair().public);
    await assert.rejects(openRemote(target({ fingerprint: other }), 'dom0'), (e: unknown) => {
      assert.ok(isRigError(e));
      assert.equal(e.code, 'SSH_HOST_KEY_MISMATCH');
      assert.ok(e.message.includes(other), e.message);
      assert.ok(e.message.includes(server.hostKeyFingerprint), e.message);
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${server.port}`));
      return true;
    });
  });

  it('accepts a known_hosts file made by ssh-keyscan, hashed by ssh-keygen -H', async () => {
    // Asynchronously: the server answering it lives in this very process.
    const { stdout: scanned } = await promisify(execFile)('ssh-keyscan', ['-p', String(server.port), '127.0.0.1']);
    assert.match(scanned, new RegExp(`^\\[127\\.0\\.0\\.1\\]:${server.port} ssh-ed25519 `, 'm'));
    const file = await knownHosts('scanned', [scanned.trim()]);
    await connects({ knownHosts: file });
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const hashed = await readFile(file, 'utf8');
    assert.match(hashed, /^\|1\|/);
    assert.ok(!hashed.includes('127.0.0.1'));
    await connects({ knownHosts: file });
  });

  it('asks the server for the key type known_hosts holds (only ecdsa known here)', async () => {
    const file = await knownHosts('ecdsa-only', [
      '# a comment, then a hashed line of our own making',
      knownHostsLine('127.0.0.1', server.port, ecdsa.public, true),
    ]);
    await connects({ knownHosts: file });
  });

  it('a different key in known_hosts is SSH_HOST_KEY_MISMATCH naming the file and line', async () => {
    const stranger = generateKeyPair();
    const file = await knownHosts('stale', [
      'other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPnTF3tWSXDR1gvx7qRlhD3Y2bi6rUvbvuzjs6SUXV2u',
      knownHostsLine('127.0.0.1', server.port, stranger.public),
    ]);
    await assert.rejects(openRemote(target({ knownHosts: file }), 'dom0'), (e: unknown) => {
      assert.ok(isRigError(e));
      assert.equal(e.code, 'SSH_HOST_KEY_MISMATCH');
      assert.ok(e.message.includes(publicKeyFingerprint(stranger.public)), e.message);
      assert.ok(e.message.includes(server.hostKeyFingerprint), e.message);
      assert.ok(e.message.includes(`${file} (line 2)`), e.message);
      return true;
    });
  });

  it('an unknown host is SSH_HOST_KEY_UNKNOWN telling how to add it', async () => {
    // Same host on another port is a different entry for OpenSSH, so still unknown here.
    const file = await knownHosts('elsewhere', [knownHostsLine('127.0.0.1', server.port + 1, server.hostKey.public)]);
    for (const f of [file, join(dir, 'does-not-exist')]) {
      await assert.rejects(openRemote(target({ knownHosts: f }), 'dom0'), (e: unknown) => {
        assert.ok(isRigError(e));
        assert.equal(e.code, 'SSH_HOST_KEY_UNKNOWN');
        assert.ok(e.message.includes(`ssh-keyscan -p ${server.port} 127.0.0.1 >> ${f}`), e.message);
        assert.ok(e.message.includes(server.hostKeyFingerprint), e.message);
        return true;
      });
    }
  });

  it('acceptAny connects and warns once per host', async () => {
    const warnings: string[] = [];
    const onWarn = (m: string) => warnings.push(m);
    progress.on('warn', onWarn);
    try {
      await connects({ acceptAny: true });
      await connects({ acceptAny: true });
    } finally {
      progress.off('warn', onWarn);
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], new RegExp(`127\\.0\\.0\\.1:${server.port}: host key not checked`));
  });
});
