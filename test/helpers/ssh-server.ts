// An in-process SSH server (ssh2) for tests: 127.0.0.1, random port, a generated host key;
// accepts a password and/or a client public key; runs exec requests with a real `sh -c`
// (own process group, streamed output, real exit codes and signals); serves SFTP onto the local
// filesystem; and can drop or freeze its connections to play a board that died or hung.
import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type Socket } from 'node:net';
import ssh2, { type AuthContext, type AuthenticationType, type ParsedKey } from 'ssh2';
import { fingerprint } from '../../lib/remote/known-hosts.ts';
import type { SshTarget } from '../../lib/rig/schema.ts';
import { serveSftp } from './sftp-server.ts';

export interface KeyPair {
  /** OpenSSH private key text. */
  private: string;
  /** One-line OpenSSH public key ("ssh-ed25519 AAAA..."). */
  public: string;
}

export function generateKeyPair(type: 'ed25519' | 'ecdsa' = 'ed25519'): KeyPair {
  // ssh2's generator writes a key its own parser calls malformed about once in 250 (measured:
  // 12 of 3000 ed25519 keys): draw again, or a test fails at random in "new Server".
  for (;;) {
    const k =
      type === 'ecdsa'
        ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 })
        : ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(k.private) instanceof Error)) return { private: k.private, public: k.public.trim() };
  }
}

/** SHA256 fingerprint of a one-line public key, as `ssh-keygen -lf` prints it. */
export function publicKeyFingerprint(publicKey: string): string {
  return fingerprint(Buffer.from(publicKey.split(/\s+/)[1], 'base64'));
}

export interface SshServerOptions {
  username?: string;
  password?: string;
  /** A one-line OpenSSH public key the client may log in with. */
  clientPublicKey?: string;
  /** Reuse a host key (e.g. to restart "the same board"); generated when absent. */
  hostKey?: KeyPair;
  /** More host keys (e.g. an ecdsa one), as a real sshd has several. */
  extraHostKeys?: KeyPair[];
  port?: number;
  /** Serve the sftp subsystem (default true); false plays a dropbear without sftp-server. */
  sftp?: boolean;
  /** Kill a command's process group when its channel closes (default true, so tests leak nothing). */
  killOnClose?: boolean;
  /** Working directory of commands and of relative SFTP paths. */
  cwd?: string;
}

export interface ExecRecord {
  /** Exactly as received: lib/remote prefixes `IOMMU_LAB_RUN=<tag>; export IOMMU_LAB_RUN; ` (see tag.ts). */
  command: string;
  pid: number;
  /** Signal names received through "signal" channel requests, e.g. 'TERM'. */
  signals: string[];
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

export interface TestSshServer {
  host: string;
  port: number;
  username: string;
  hostKey: KeyPair;
  hostKeyFingerprint: string;
  execs: ExecRecord[];
  /** Resolves once a command containing `text` was started (at once if one already was). */
  whenExec(text: string): Promise<ExecRecord>;
  /** An SshTarget for this server, trusting its key by fingerprint; no secret set. */
  target(overrides?: Partial<SshTarget>): SshTarget;
  /** Destroy every client socket at once: a board that lost power. */
  dropConnections(): void;
  /** Stop reading every client socket: a board that hangs with the TCP link up. */
  freeze(): void;
  close(): Promise<void>;
}

export async function startSshServer(opts: SshServerOptions = {}): Promise<TestSshServer> {
  const username = opts.username ?? 'tester';
  const hostKey = opts.hostKey ?? generateKeyPair();
  const cwd = opts.cwd ?? process.cwd();
  const allowedKey = opts.clientPublicKey ? (ssh2.utils.parseKey(opts.clientPublicKey) as ParsedKey) : undefined;
  const execs: ExecRecord[] = [];
  const sockets = new Set<Socket>();
  const groups = new Set<number>();
  const started = new EventEmitter();

  const ssh = new ssh2.Server(
    {
      hostKeys: [hostKey.private, ...(opts.extraHostKeys ?? []).map((k) => k.private)],
      // SSH_DEBUG=1 prints the server's protocol trace (which requests arrived, in which order).
      debug: process.env.SSH_DEBUG ? (m: string) => console.log('S', m) : undefined,
    },
    (client) => {
      client.on('error', () => {}); // a dropped client is what some tests are about
      client.on('authentication', (ctx) => authenticate(ctx, { username, password: opts.password, allowedKey }));
      client.on('session', (accept) => {
        const session = accept();
        let record: ExecRecord | undefined;
        // ssh2's server ignores every channel request after the client's EOF, but OpenSSH still
        // delivers "signal" then (and clients end stdin first): undo ssh2's flag to behave like sshd.
        session.on('eof', () => {
          (session as unknown as { _ending: boolean })._ending = false;
        });
        session.on('signal', (acceptSig, _reject, info) => {
          record?.signals.push(info.name);
          if (record) killGroup(record.pid, `SIG${info.name}` as NodeJS.Signals);
          acceptSig?.();
        });
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          const child = spawn('sh', ['-c', info.command], { cwd, detached: true, stdio: 'pipe' });
          record = { command: info.command, pid: child.pid!, signals: [] };
          execs.push(record);
          started.emit('exec', record);
          const rec = record;
          groups.add(rec.pid);
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          child.stdin.on('error', () => {});
          stream.pipe(child.stdin);
          stream.on('close', () => {
            if (!rec.exit && opts.killOnClose !== false) killGroup(rec.pid, 'SIGKILL');
          });
          child.on('close', (code, signal) => {
            rec.exit = { code, signal };
            groups.delete(rec.pid);
            if (signal) stream.exit(signal.replace(/^SIG/, ''), false, '');
            else stream.exit(code ?? 255);
            stream.end();
          });
        });
        if (opts.sftp !== false) session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), cwd));
      });
    },
  );

  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    ssh.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (tcp.address() as { port: number }).port;
  const hostKeyFingerprint = publicKeyFingerprint(hostKey.public);

  return {
    host: '127.0.0.1',
    port,
    username,
    hostKey,
    hostKeyFingerprint,
    execs,
    whenExec: (text) => {
      const seen = execs.find((e) => e.command.includes(text));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const on = (e: ExecRecord) => {
          if (!e.command.includes(text)) return;
          started.off('exec', on);
          resolve(e);
        };
        started.on('exec', on);
      });
    },
    target: (overrides = {}) => ({
      host: '127.0.0.1',
      port,
      user: username,
      hostKey: { fingerprint: hostKeyFingerprint },
      connectTimeoutMs: 5000,
      ...overrides,
    }),
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    freeze: () => {
      for (const s of sockets) s.pause();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      for (const pid of groups) killGroup(pid, 'SIGKILL');
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function authenticate(
  ctx: AuthContext,
  allowed: { username: string; password?: string; allowedKey?: ParsedKey },
): void {
  const methods = [allowed.password && 'password', allowed.allowedKey && 'publickey'].filter(
    Boolean,
  ) as AuthenticationType[];
  if (authOk(ctx, allowed)) ctx.accept();
  else ctx.reject(methods);
}

function authOk(ctx: AuthContext, allowed: { username: string; password?: string; allowedKey?: ParsedKey }): boolean {
  if (ctx.username !== allowed.username) return false;
  if (ctx.method === 'password' && allowed.password !== undefined) {
    const a = Buffer.from(ctx.password);
    const b = Buffer.from(allowed.password);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  if (ctx.method === 'publickey' && allowed.allowedKey) {
    const k = allowed.allowedKey;
    if (ctx.key.algo !== k.type || !ctx.key.data.equals(k.getPublicSSH())) return false;
    // Without a signature the client only asks whether this key would do.
    return !ctx.signature || k.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true;
  }
  return false;
}
