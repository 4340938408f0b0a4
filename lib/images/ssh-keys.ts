// SSH key files the images embed: host key pairs generated with ssh-keygen (never printed),
// public halves and fingerprints read back for authorized_keys, the cache key and pinning.
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { check } from '../core/exec.ts';
import { fingerprint as sshFingerprint } from '../remote/known-hosts.ts';

/** An ed25519 pair at `path` and `path.pub`, unless one is there already. */
export async function generateKeyPair(path: string, comment: string): Promise<void> {
  if (existsSync(path) && existsSync(`${path}.pub`)) return;
  // Generate beside the target and rename, so an interrupted run never leaves half a pair.
  const tmp = `${path}.tmp-${process.pid}`;
  await rm(tmp, { force: true });
  await rm(`${tmp}.pub`, { force: true });
  await check(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', tmp]);
  await rename(`${tmp}.pub`, `${path}.pub`);
  await rename(tmp, path);
}

/** "type blob" of a .pub file or line, without its comment. */
export function keyLine(text: string): string {
  const [type, blob] = text.trim().split(/\s+/);
  return `${type} ${blob}`;
}

/** The public half of the pair at `path` (its `.pub`), without the comment. */
export async function publicKey(path: string): Promise<string> {
  return keyLine(await readFile(`${path}.pub`, 'utf8'));
}

/**
 * "SHA256:…" of the pair at `path`, as ssh prints it and a rig's hostKey.fingerprint takes it:
 * the same function the SSH client checks a pinned key with.
 */
export async function fingerprint(path: string): Promise<string> {
  const [, blob] = (await publicKey(path)).split(' ');
  return sshFingerprint(Buffer.from(blob ?? '', 'base64'));
}
