// An OpenPGP detached signature checked with gpg against one public key file, in a keyring made
// for this check alone (a temp --homedir): the user's keyring and trust settings play no part,
// and a good signature by any other key is not good. gpg's machine-readable status lines
// (--status-fd, doc/DETAILS in GnuPG) say which key signed; VALIDSIG carries the primary
// key's fingerprint last. A signature made by a key that has since expired still counts
// (EXPKEYSIG, signature time before KEYEXPIRED): 3mdeb's 24.05.00.x signing subkey expired a
// year after that release.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SignatureCheck =
  | { verdict: 'good'; fingerprint: string; expiredKey: boolean }
  | { verdict: 'bad'; why: string }
  | { verdict: 'unchecked'; why: string };

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  missing: boolean;
}

function run(cmd: string, args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ code: null, stdout, stderr: e.message, missing: e.code === 'ENOENT' }),
    );
    p.on('close', (code) => resolve({ code, stdout, stderr, missing: false }));
  });
}

const lastLine = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .at(-1)
    ?.replace(/^gpg: /, '') ?? '';

/** Why no signature can be checked here (gpg is not installed), else undefined. */
export async function gpgMissing(gpg = 'gpg'): Promise<string | undefined> {
  const r = await run(gpg, ['--version']);
  return r.missing ? `${gpg} is not on PATH (apt-get install gpg)` : undefined;
}

/** Is `sig` a good signature of `data` by the key in `keyFile`? `gpg` may be another binary (tests). */
export async function verifyDetached(
  data: Uint8Array,
  sig: Uint8Array,
  keyFile: string,
  gpg = 'gpg',
): Promise<SignatureCheck> {
  const home = await mkdtemp(join(tmpdir(), 'iommu-lab-gpg-'));
  try {
    const base = ['--homedir', home, '--batch', '--no-tty', '--no-autostart'];
    const imp = await run(gpg, [...base, '--import', keyFile]);
    if (imp.missing) return { verdict: 'unchecked', why: `${gpg} is not on PATH (apt-get install gpg)` };
    if (imp.code !== 0)
      return { verdict: 'unchecked', why: `gpg could not import ${keyFile}: ${lastLine(imp.stderr)}` };
    await writeFile(join(home, 'data'), data);
    await writeFile(join(home, 'data.sig'), sig);
    const v = await run(gpg, [...base, '--status-fd', '1', '--verify', join(home, 'data.sig'), join(home, 'data')]);
    const status = v.stdout.split('\n').filter((l) => l.startsWith('[GNUPG:] '));
    const has = (kw: string) => status.find((l) => l.startsWith(`[GNUPG:] ${kw} `) || l === `[GNUPG:] ${kw}`);
    const valid = has('VALIDSIG');
    if (valid && has('GOODSIG'))
      return { verdict: 'good', fingerprint: valid.trim().split(/\s+/).at(-1)!, expiredKey: false };
    if (valid && has('EXPKEYSIG')) {
      // VALIDSIG <fpr> <date> <sig time> …; KEYEXPIRED <expiry>: made before the key expired?
      const made = Number(valid.trim().split(/\s+/)[4]);
      const expired = Number(has('KEYEXPIRED')?.trim().split(/\s+/)[2]);
      if (!(made < expired)) return { verdict: 'bad', why: 'signed after the key had expired' };
      return { verdict: 'good', fingerprint: valid.trim().split(/\s+/).at(-1)!, expiredKey: true };
    }
    if (has('BADSIG')) return { verdict: 'bad', why: 'BAD signature: the checksum file was altered or is not theirs' };
    if (has('NO_PUBKEY') || has('ERRSIG'))
      return { verdict: 'bad', why: `not signed by the key in ${keyFile.replace(/^.*\//, '')}` };
    if (has('NODATA')) return { verdict: 'bad', why: 'the signature file holds no OpenPGP signature' };
    return { verdict: 'bad', why: `gpg --verify did not accept it: ${lastLine(v.stderr) || `exit ${v.code}`}` };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
