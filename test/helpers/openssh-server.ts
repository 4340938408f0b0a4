// A real OpenSSH sshd on 127.0.0.1 (random port, temp host key, key login for the current
// user), to check that what works against the in-process ssh2 server also works against the
// server real benches run. Needs root (sshd's privilege separation) and /usr/sbin/sshd.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../../lib/core/time.ts';
import type { SshTarget } from '../../lib/rig/schema.ts';
import { generateKeyPair, type KeyPair, publicKeyFingerprint } from './ssh-server.ts';

export const SSHD = '/usr/sbin/sshd';

export function canRunOpenSsh(): boolean {
  return existsSync(SSHD) && process.getuid?.() === 0;
}

export interface OpenSshServer {
  port: number;
  dir: string;
  clientKey: KeyPair;
  /** A target logging in with clientKey (written to dir/id_client), trusting the host key. */
  target(overrides?: Partial<SshTarget>): SshTarget;
  close(): Promise<void>;
}

export async function startOpenSsh(): Promise<OpenSshServer> {
  const dir = await mkdtemp(join(tmpdir(), 'iommu-lab-sshd-'));
  const hostKey = generateKeyPair();
  const clientKey = generateKeyPair();
  await writeFile(join(dir, 'host_key'), hostKey.private, { mode: 0o600 });
  await writeFile(join(dir, 'id_client'), clientKey.private, { mode: 0o600 });
  await writeFile(join(dir, 'authorized_keys'), `${clientKey.public}\n`, { mode: 0o600 });
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
  ];
  await writeFile(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  // sshd refuses to start without its privilege-separation directory (made by the service unit).
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  // sshd must be started by absolute path (it re-executes itself per connection).
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  await waitForPort(port, child);
  const fingerprint = publicKeyFingerprint(hostKey.public);
  return {
    port,
    dir,
    clientKey,
    target: (overrides = {}) => ({
      host: '127.0.0.1',
      port,
      user: userInfo().username,
      privateKey: { file: join(dir, 'id_client') },
      hostKey: { fingerprint },
      connectTimeoutMs: 5000,
      ...overrides,
    }),
    close: async () => {
      child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode} at start`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`sshd did not listen on ${port}`);
}
