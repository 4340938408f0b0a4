// Decides whether the key a server offers is the one the rig trusts. The verdict is a RigError
// naming both fingerprints, so "someone reinstalled the board" is never a mystery.
import { readFile } from 'node:fs/promises';
import { RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { expandPath } from '../core/secrets.ts';
import { blobType, findKnownKeys, fingerprint, type KnownKey } from './known-hosts.ts';
import type { SshTarget } from './target-schema.ts';

export interface HostKeyCheck {
  /** Host key algorithms to offer, so the server shows the key type we know (undefined: any). */
  algorithms?: string[];
  /** undefined when the key is trusted, else the error to report. */
  verify(blob: Buffer): RigError | undefined;
}

// known_hosts key type → the ssh2 host key algorithms that make a server present it.
const ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

const warnedAcceptAny = new Set<string>();

export async function hostKeyCheck(target: SshTarget, what: string): Promise<HostKeyCheck> {
  const where = `${what} ${target.host}:${target.port}`;
  const policy = target.hostKey;
  if ('acceptAny' in policy) {
    if (!warnedAcceptAny.has(where)) {
      warnedAcceptAny.add(where);
      progress.emit('warn', `${where}: host key not checked (hostKey: {acceptAny: true})`);
    }
    return { verify: () => undefined };
  }
  if ('fingerprint' in policy) {
    const expected = policy.fingerprint.replace(/=+$/, '');
    return {
      verify: (blob) =>
        fingerprint(blob) === expected ? undefined : mismatch(where, blob, [expected], 'the rig (hostKey.fingerprint)'),
    };
  }
  const file = expandPath(policy.knownHosts);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw new RigError(`${where}: cannot read known_hosts ${file}: ${e.code}`, {
      code: 'SSH_KNOWN_HOSTS',
      part: 'remote',
    });
  });
  const known = findKnownKeys(text, target.host, target.port);
  const trusted = known.filter((k) => !k.revoked);
  const algorithms = [...new Set(trusted.flatMap((k) => ALGORITHMS[k.type] ?? []))];
  return {
    algorithms: algorithms.length > 0 ? algorithms : undefined,
    verify: (blob) => verifyKnown(blob, known, { where, file, target }),
  };
}

function verifyKnown(
  blob: Buffer,
  known: KnownKey[],
  ctx: { where: string; file: string; target: SshTarget },
): RigError | undefined {
  const offered = fingerprint(blob);
  if (known.some((k) => k.revoked && k.blob.equals(blob)))
    return new RigError(`${ctx.where}: host key ${offered} is marked @revoked in ${ctx.file}`, {
      code: 'SSH_HOST_KEY_MISMATCH',
      part: 'remote',
    });
  const trusted = known.filter((k) => !k.revoked);
  if (trusted.some((k) => k.blob.equals(blob))) return undefined;
  if (trusted.length === 0) {
    const { host, port } = ctx.target;
    return new RigError(
      `${ctx.where}: host is not in ${ctx.file} (it offered ${blobType(blob)} ${offered}). ` +
        `After checking that fingerprint on the board (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), ` +
        `add it with: ssh-keyscan -p ${port} ${host} >> ${ctx.file}`,
      { code: 'SSH_HOST_KEY_UNKNOWN', part: 'remote' },
    );
  }
  const sameType = trusted.filter((k) => k.type === blobType(blob));
  const expected = (sameType.length > 0 ? sameType : trusted).map((k) => fingerprint(k.blob));
  const lines = trusted.map((k) => k.line).join(', ');
  return mismatch(ctx.where, blob, expected, `${ctx.file} (line ${lines})`);
}

function mismatch(where: string, blob: Buffer, expected: string[], source: string): RigError {
  return new RigError(
    `${where}: HOST KEY MISMATCH: it offered ${blobType(blob)} ${fingerprint(blob)}, ` +
      `but ${source} expects ${expected.join(' or ')}. ` +
      `If the board was reinstalled, update the trusted key; otherwise something is impersonating it.`,
    { code: 'SSH_HOST_KEY_MISMATCH', part: 'remote' },
  );
}
