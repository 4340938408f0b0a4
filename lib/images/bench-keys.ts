// The SSH keys a bench's image set embeds. authorized_keys: the rig's own public key file
// (boot.server.image.authorizedKey), else the public half of the key the test host logs into
// dom0 with (dom0.privateKey: its .pub beside it, or derived with `ssh-keygen -y`). Host keys:
// generated once per image root (kept in <root>/.keys, never served) and reused by every
// rebuild, so the fingerprint a bench owner pinned in the rig stays valid.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { exec } from '../core/exec.ts';
import { readSmallFile } from '../core/read-small-file.ts';
import { expandPath, readSecret } from '../core/secrets.ts';
import type { Rig } from '../rig/schema.ts';
import { generateKeyPair } from './ssh-keys.ts';

const PUBLIC_KEY = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-\S+@openssh\.com) [A-Za-z0-9+/]+=*( .*)?$/;

const noKey = (rig: Rig, why: string): RigError =>
  new RigError(
    `rig ${rig.name}: ${why}: give boot.server.image.authorizedKey (an OpenSSH .pub file) or dom0.privateKey`,
    { code: 'IMAGES_NO_KEY' },
  );

/** Public key lines of a .pub file; anything else in it is refused (it lands in authorized_keys). */
function publicLines(rig: Rig, text: string, from: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (lines.length === 0 || !lines.every((l) => PUBLIC_KEY.test(l)))
    throw noKey(rig, `${from} is not an OpenSSH public key file`);
  return `${lines.join('\n')}\n`;
}

/** `ssh-keygen -y` on a private key given as text: through a private temp file, removed after. */
async function derive(rig: Rig, privateKey: string, from: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iommu-lab-key-'));
  try {
    const file = join(dir, 'key');
    await writeFile(file, privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`, { mode: 0o600 });
    // -P '': a passphrase-protected key fails instead of prompting.
    const r = await exec(['ssh-keygen', '-y', '-P', '', '-f', file]);
    if (r.exitCode !== 0) throw noKey(rig, `cannot derive the public key of ${from} (passphrase-protected?)`);
    return publicLines(rig, r.stdout, from);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An authorized_keys file of a few hundred keys; /dev/zero or a FIFO given as a key is refused. */
const KEY_FILE_MAX = 256 * 1024;

/** What root's authorized_keys on the bench's dom0 (and its PV guest) holds. */
export async function authorizedKeysFor(rig: Rig): Promise<string> {
  const given = rig.boot.server?.image.authorizedKey;
  if (given) {
    const path = expandPath(given);
    const text = await readSmallFile(path, KEY_FILE_MAX).catch((e: NodeJS.ErrnoException) => {
      throw noKey(rig, `cannot read boot.server.image.authorizedKey ${path}: ${e.code ?? e.message}`);
    });
    return publicLines(rig, text, path);
  }
  const ref = rig.dom0.privateKey;
  if (!ref) throw noKey(rig, 'dom0 names no privateKey, so no key can be authorized on the dom0');
  if ('file' in ref) {
    const path = expandPath(ref.file);
    if (existsSync(`${path}.pub`)) {
      const pub = `${path}.pub`;
      const text = await readSmallFile(pub, KEY_FILE_MAX).catch((e: NodeJS.ErrnoException) => {
        throw noKey(rig, `cannot read ${pub}: ${e.code ?? e.message}`);
      });
      return publicLines(rig, text, pub);
    }
    return derive(rig, await readSecret(ref, 'dom0.privateKey'), path);
  }
  return derive(rig, await readSecret(ref, 'dom0.privateKey'), `environment variable ${ref.env}`);
}

/** The image root's own host keys, made on first use. */
export async function benchHostKeys(root: string, rigName: string): Promise<{ dom0: string; guest: string }> {
  const dir = join(root, '.keys');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const keys = { dom0: join(dir, 'dom0_host_ed25519'), guest: join(dir, 'guest_host_ed25519') };
  await generateKeyPair(keys.dom0, `iommu-lab-${rigName}-dom0`);
  await generateKeyPair(keys.guest, `iommu-lab-${rigName}-guest`);
  return keys;
}
