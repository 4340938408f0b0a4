// The bench controller: real OpenSSH sshd on loopback (like logging into an RTE), root login by
// the twin's client key only, with the flashrom shim first on PATH for every session.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';

const SSHD = process.env.IOMMU_LAB_SSHD ?? '/usr/sbin/sshd';

export interface SshdOptions {
  port: number;
  hostKey: string;
  clientPublicKey: string;
  /** Prepended to PATH (holds the flashrom shim). */
  shimDir: string;
  runDir: string;
}

function sshdConfig(o: SshdOptions): string {
  return [
    `ListenAddress 127.0.0.1:${o.port}`,
    `HostKey ${o.hostKey}`,
    `PidFile ${join(o.runDir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(o.runDir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The keys live in the project's cache, whose parents need not be root-only.
    'StrictModes no',
    'PrintMotd no',
    'PrintLastLog no',
    `SetEnv PATH=${o.shimDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    '',
  ].join('\n');
}

export async function startSshd(o: SshdOptions): Promise<ChildProcess> {
  await mkdir(o.runDir, { recursive: true });
  // sshd's privilege separation directory (absent on machines where sshd never ran).
  if (!existsSync('/run/sshd')) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await writeFile(join(o.runDir, 'authorized_keys'), await readFile(o.clientPublicKey, 'utf8'), { mode: 0o600 });
  const cfg = join(o.runDir, 'sshd_config');
  await writeFile(cfg, sshdConfig(o));
  const log = createWriteStream(join(o.runDir, 'sshd.log'), { flags: 'a' });
  const child = spawn('setpriv', ['--pdeathsig', 'TERM', '--', SSHD, '-D', '-e', '-f', cfg], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  await waitForPort(o.port, child, 10_000);
  return child;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new RigError(`sshd exited with ${child.exitCode} (see sshd.log)`, { code: 'SSHD_START' });
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new RigError(`sshd did not listen on 127.0.0.1:${port}`, { code: 'SSHD_START' });
}
