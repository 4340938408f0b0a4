// One SSH connection attempt with ssh2, its failures translated into RigErrors a bench
// engineer can act on (refused / auth / timeout / host key), never carrying a secret.
// ssh2 is CommonJS: Node's ESM loader cannot see all of its named exports, the default works.
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import type { FailureCode } from '../core/error-codes.ts';
import { RigError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';
import type { HostKeyCheck } from './host-key.ts';
import type { SshTarget } from './target-schema.ts';

export interface Credentials {
  password?: string;
  privateKey?: string;
}

export interface ConnectOptions {
  target: SshTarget;
  what: string;
  credentials: Credentials;
  hostKey: HostKeyCheck;
  /** Handshake deadline (defaults to target.connectTimeoutMs). */
  timeoutMs?: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

/** A live client plus what we learn about its end (for SSH_DROPPED messages). */
export interface Connection {
  client: Client;
  alive: boolean;
  /** Why the connection ended, when ssh2 told us (e.g. 'Keepalive timeout'). */
  endReason?: string;
}

/** Codes that retrying (or waiting for a booting board) will not fix. */
export const PERMANENT_CODES: ReadonlySet<FailureCode> = new Set<FailureCode>([
  'SSH_AUTH',
  'SSH_HOST_KEY_MISMATCH',
  'SSH_HOST_KEY_UNKNOWN',
  'SSH_KNOWN_HOSTS',
  'SSH_KEY_INVALID',
  'SECRET_MISSING',
]);

export function connectOnce(opts: ConnectOptions): Promise<Connection> {
  const { target, credentials } = opts;
  const client = new ssh2.Client();
  const conn: Connection = { client, alive: false };
  let hostKeyError: RigError | undefined;
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    password: credentials.password,
    privateKey: credentials.privateKey,
    // Without a secret in the rig, an ssh-agent is the only sensible source.
    agent: credentials.password || credentials.privateKey ? undefined : process.env.SSH_AUTH_SOCK,
    tryKeyboard: credentials.password !== undefined,
    readyTimeout: opts.timeoutMs ?? target.connectTimeoutMs,
    keepaliveInterval: opts.keepaliveIntervalMs,
    keepaliveCountMax: opts.keepaliveCountMax,
    algorithms: opts.hostKey.algorithms ? { serverHostKey: opts.hostKey.algorithms as never } : undefined,
    hostVerifier: (key: Buffer) => {
      hostKeyError = opts.hostKey.verify(key);
      return hostKeyError === undefined;
    },
  };
  // Some PAM setups offer only keyboard-interactive: answer every prompt with the password.
  client.on('keyboard-interactive', (_n, _i, _l, prompts, finish) =>
    finish(prompts.map(() => credentials.password ?? '')),
  );
  return new Promise((resolve, reject) => {
    let settled = false;
    client.on('ready', () => {
      settled = true;
      conn.alive = true;
      resolve(conn);
    });
    // ssh2 reports late failures (keepalive timeout, reset) as 'error' then 'close'; both are
    // kept on the connection so a running command can say why it was cut.
    client.on('error', (err: Error & { level?: string }) => {
      conn.endReason ??= err.message;
      if (settled) return;
      settled = true;
      client.destroy();
      reject(hostKeyError ?? connectError(err, opts));
    });
    client.on('close', () => {
      conn.alive = false;
      conn.endReason ??= 'connection closed by the server';
      if (settled) return;
      settled = true;
      reject(connectError(new Error('connection closed during the handshake'), opts));
    });
    try {
      client.connect(config);
    } catch (e) {
      // ssh2 throws synchronously for a private key it cannot parse.
      settled = true;
      reject(
        new RigError(`${opts.what}: private key for ${target.user}@${target.host} is unusable: ${redact(String(e))}`, {
          code: 'SSH_KEY_INVALID',
          part: 'remote',
        }),
      );
    }
  });
}

function connectError(err: Error & { level?: string; code?: string }, opts: ConnectOptions): RigError {
  const { target, what } = opts;
  const at = `${what} ${target.user}@${target.host}:${target.port}`;
  const fail = (code: FailureCode, text: string) => new RigError(redact(`${at}: ${text}`), { code, part: 'remote' });
  if (err.code === 'ECONNREFUSED') return fail('SSH_REFUSED', 'connection refused (sshd not running or board down)');
  if (err.level === 'client-authentication') {
    const methods = [opts.credentials.password && 'password', opts.credentials.privateKey && 'private key']
      .filter(Boolean)
      .join(' and ');
    return fail('SSH_AUTH', `authentication failed (${methods || 'no password or key in the rig, no ssh-agent'})`);
  }
  if (err.level === 'client-timeout' || err.code === 'ETIMEDOUT')
    return fail('SSH_TIMEOUT', `no SSH handshake within ${opts.timeoutMs ?? target.connectTimeoutMs} ms`);
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return fail('SSH_UNREACHABLE', 'host unreachable');
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' || err.level === 'client-dns')
    return fail('SSH_DNS', `cannot resolve ${target.host}`);
  return fail('SSH_CONNECT', err.message);
}
