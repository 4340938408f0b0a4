// `--firmware dasharo-uefi:v0.9.1:apu2 --firmware-file ./pcengines_apu2_v0.9.1.rom`: a ROM the
// user has (Dasharo Pro Package, or built from source) checked against the release's published
// `.sha256`, and that `.sha256` against its `.sha256.sig` with the release line's key when gpg
// is on PATH. Every refusal happens here, before any part of the bench is touched, and says
// where a ROM comes from. What was checked is kept for the report (summary.json firmware.release).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/core/paths.ts';
import { progress } from '../../lib/core/progress.ts';
import { redact } from '../../lib/core/redact.ts';
import { step } from '../../lib/core/step.ts';
import type { ReleaseCheck } from '../../lib/firmware/running.ts';
import { parseSidecar, sha256Hex } from './checksum.ts';
import { DASHARO_DOWNLOAD_BASE, type ReleaseSpec, romName, romRemedy, sha256Url } from './dasharo-releases.ts';
import { download } from './download.ts';
import { FlashRefused } from './errors.ts';
import { gpgMissing, type SignatureCheck, verifyDetached } from './signature.ts';

export type { ReleaseCheck };

export interface ReleaseOptions {
  /** Another server with the same folders (a mirror, a test server); default dl.3mdeb.com. */
  base?: string;
  /** Folder of the release keys; default keys/dasharo/ of this repository. */
  keysDir?: string;
  /** The gpg binary; default `gpg` on PATH. */
  gpg?: string;
}

/** Read at each use, so a CI job (or a test) can point at a mirror. */
export const releaseBase = (): string => process.env.IOMMU_LAB_DASHARO_MIRROR || DASHARO_DOWNLOAD_BASE;
const KEYS_DIR = join(PROJECT_ROOT, 'keys', 'dasharo');
const SMALL = 64 * 1024;

/** Refusal unless `bytes` (the user's file) is the release's published ROM. */
export async function checkRelease(r: ReleaseSpec, bytes: Buffer, opts: ReleaseOptions = {}): Promise<ReleaseCheck> {
  const url = sha256Url(r, opts.base ?? releaseBase());
  const shown = redact(url);
  const published = await step('download release checksum', { url: shown }, () =>
    fetchSmall(url, r, 'published checksum'),
  );
  const text = published.toString('utf8');
  const signature = await checkSignature(r, url, published, opts);
  if (signature.verdict === 'bad')
    throw new FlashRefused('REFUSED_SIGNATURE', `${r.spec}: ${shown}.sig: ${signature.why}; nothing was flashed`);
  const expected = parseSidecar(text, romName(r), shown.replace(/^.*\//, ''));
  const actual = sha256Hex(bytes);
  if (actual !== expected)
    throw new FlashRefused(
      'REFUSED_CHECKSUM',
      `the file is not ${r.spec}: its SHA-256 is ${actual}, ${shown} says ${expected}; ${romRemedy(r)}`,
    );
  const key = r.release.key;
  const described =
    signature.verdict === 'good'
      ? `verified: ${key} ${signature.fingerprint}${signature.expiredKey ? ' (signed before the key expired)' : ''}`
      : `not checked: ${signature.why}`;
  if (signature.verdict !== 'good') progress.emit('warn', `${r.spec}: signature of ${shown} ${described}`);
  return {
    flavour: r.release.flavour,
    version: r.release.version,
    board: r.board,
    sha256Url: shown,
    signature: described,
    signatureChecked: signature.verdict === 'good',
  };
}

async function checkSignature(
  r: ReleaseSpec,
  url: string,
  published: Buffer,
  opts: ReleaseOptions,
): Promise<SignatureCheck> {
  const keyFile = join(opts.keysDir ?? KEYS_DIR, r.release.key);
  // Without gpg or the key the .sig is not even fetched: nothing could be done with it.
  const missing = await gpgMissing(opts.gpg);
  if (missing) return { verdict: 'unchecked', why: missing };
  if (!existsSync(keyFile)) return { verdict: 'unchecked', why: `no release key ${keyFile}` };
  let sig: Buffer;
  try {
    sig = await fetchSmall(`${url}.sig`, r, 'published signature');
  } catch (e) {
    if ((e as { code?: string }).code === 'REFUSED_NOT_FOUND')
      return { verdict: 'unchecked', why: `no ${redact(url).replace(/^.*\//, '')}.sig published` };
    throw e;
  }
  return verifyDetached(published, sig, keyFile, opts.gpg);
}

/** A checksum or signature file, through the image download (timeouts, retries, one-line errors). */
async function fetchSmall(url: string, r: ReleaseSpec, what: string): Promise<Buffer> {
  try {
    return await download(url, { maxBytes: SMALL, retries: 2, timeoutMs: 30_000 });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'REFUSED_NOT_FOUND')
      throw new FlashRefused('REFUSED_NOT_FOUND', `${r.spec}: the ${what} ${redact(url)} is not there (HTTP 404)`);
    if (code === 'REFUSED_TOO_LARGE')
      throw new FlashRefused('REFUSED_CHECKSUM_FORMAT', `${r.spec}: the ${what} ${redact(url)} is over ${SMALL} bytes`);
    throw e;
  }
}
