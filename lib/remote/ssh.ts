// RemoteShell over SSH (ssh2): the board's dom0, a bench controller (RTE), a guest.
// Every command and transfer is an Allure step; every failure of the link is a RigError.
import { basename } from 'node:path';
import { isRigError, RigError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';
import type { CommandResult } from '../core/result.ts';
import { readSecret } from '../core/secrets.ts';
import { step } from '../core/step.ts';
import { now, sleep } from '../core/time.ts';
import { type Connection, type Credentials, connectOnce, PERMANENT_CODES } from './connect.ts';
import { execOnce } from './exec.ts';
import { type HostKeyCheck, hostKeyCheck } from './host-key.ts';
import { checked, recordedRun } from './recorded.ts';
import { transfer } from './sftp.ts';
import type { SshTarget } from './target-schema.ts';
import type { RemoteShell, RunOptions } from './types.ts';

export interface SshOptions {
  /** Used when run() is given no timeoutMs. */
  defaultTimeoutMs?: number;
  /** A hung board is noticed after about interval × countMax without an answer. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

const DEFAULTS = { defaultTimeoutMs: 120_000, keepaliveIntervalMs: 5000, keepaliveCountMax: 3 };

export async function openRemote(target: SshTarget, what: string, opts: SshOptions = {}): Promise<RemoteShell> {
  const credentials: Credentials = {
    password: target.password && (await readSecret(target.password, `${what} password`)),
    privateKey: target.privateKey && (await readSecret(target.privateKey, `${what} private key`)),
  };
  const shell = new SshShell(target, what, credentials, await hostKeyCheck(target, what), {
    ...DEFAULTS,
    ...opts,
  });
  await step(
    `${what}: connect ${target.user}@${target.host}:${target.port}`,
    { host: target.host, port: target.port },
    () => shell.connect(),
  );
  return shell;
}

class SshShell implements RemoteShell {
  readonly description: string;
  private conn?: Connection;

  constructor(
    private readonly target: SshTarget,
    private readonly what: string,
    private readonly credentials: Credentials,
    private readonly hostKey: HostKeyCheck,
    private readonly opts: Required<SshOptions>,
  ) {
    this.description = `${what} ${target.user}@${target.host}:${target.port}`;
  }

  async connect(timeoutMs?: number): Promise<void> {
    this.conn = await connectOnce({
      target: this.target,
      what: this.what,
      credentials: this.credentials,
      hostKey: this.hostKey,
      timeoutMs,
      keepaliveIntervalMs: this.opts.keepaliveIntervalMs,
      keepaliveCountMax: this.opts.keepaliveCountMax,
    });
  }

  run(command: string, opts: RunOptions = {}): Promise<CommandResult> {
    const timeoutMs = opts.timeoutMs ?? this.opts.defaultTimeoutMs;
    return recordedRun(`${this.what}: ${oneLine(command)}`, { host: this.description, command, timeoutMs }, () =>
      execOnce(this.live(), command, { timeoutMs, input: opts.input, where: this.description }),
    );
  }

  check(command: string, opts: RunOptions = {}): Promise<CommandResult> {
    return checked(this.run(command, opts), this.description);
  }

  upload(localPath: string, remotePath: string): Promise<void> {
    return step(`${this.what}: upload ${basename(localPath)}`, { from: localPath, to: remotePath }, () =>
      transfer(
        { conn: this.live(), where: this.description, label: `upload ${basename(localPath)}` },
        'upload',
        localPath,
        remotePath,
      ),
    );
  }

  download(remotePath: string, localPath: string): Promise<void> {
    return step(`${this.what}: download ${basename(remotePath)}`, { from: remotePath, to: localPath }, () =>
      transfer(
        { conn: this.live(), where: this.description, label: `download ${basename(remotePath)}` },
        'download',
        localPath,
        remotePath,
      ),
    );
  }

  /** Drops the current connection and connects again, retrying with backoff (the board may be rebooting). */
  reconnect(timeoutMs: number): Promise<void> {
    return step(`${this.what}: reconnect`, { host: this.description, timeoutMs }, async () => {
      await this.close();
      const deadline = now() + timeoutMs;
      let delay = 250;
      for (let attempt = 1; ; attempt++) {
        const left = deadline - now();
        try {
          return await this.connect(Math.max(1000, Math.min(this.target.connectTimeoutMs, left)));
        } catch (e) {
          if (!isRigError(e) || PERMANENT_CODES.has(e.code)) throw e;
          if (deadline - now() <= delay)
            throw new RigError(
              `${this.description}: not back after ${Math.round(timeoutMs / 1000)} s (${attempt} attempts); last: ${e.message}`,
              { code: e.code, part: 'remote' },
            );
          await sleep(delay);
          delay = Math.min(delay * 2, 5000);
        }
      }
    });
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    if (!conn) return;
    const { client } = conn;
    if (!conn.alive) {
      client.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        client.destroy();
        resolve();
      }, 1000);
      client.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      client.end();
    });
  }

  private live(): Connection {
    if (this.conn) return this.conn;
    throw new RigError(`${this.description}: not connected; reconnect() first`, {
      code: 'SSH_DROPPED',
      part: 'remote',
    });
  }
}

function oneLine(command: string): string {
  const first = redact(command).split('\n')[0];
  return first.length > 100 ? `${first.slice(0, 100)}…` : first;
}
