// Where an image comes from: a local path or an http(s) URL. Either way the result is bytes
// with a SHA-256 that matched the expected one (given, or from a sidecar next to the image),
// kept in the content cache. A mismatch stops everything before any part is touched.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { progress } from '../../lib/core/progress.ts';
import { redact } from '../../lib/core/redact.ts';
import { step } from '../../lib/core/step.ts';
import { cachedPath, cacheRoot, readCached, writeCached } from './cache.ts';
import { normalizeSha256, parseSidecar, sha256Hex, sidecarCandidates } from './checksum.ts';
import { DEFAULT_MAX_BYTES, download, fetchOptionalText } from './download.ts';
import { FlashRefused } from './errors.ts';

export interface SourceOptions {
  sha256?: string;
  maxBytes?: number;
  cacheRoot?: string;
}

export interface ResolvedImage {
  bytes: Buffer;
  sha256: string;
  /** What the user gave (URL redacted). */
  origin: string;
  name: string;
  /** Where the bytes sit: the content cache for downloads, the file itself for a local path. */
  path: string;
  fromCache: boolean;
  checksum: 'given' | 'sidecar' | 'none';
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

export async function resolveImage(source: string, opts: SourceOptions = {}): Promise<ResolvedImage> {
  const root = opts.cacheRoot ?? cacheRoot();
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const name = basename(source.replace(/[?#].*$/, ''));
  const expected = await expectedDigest(source, name, opts.sha256);
  let bytes: Buffer | undefined;
  let fromCache = false;
  if (expected.hex) {
    bytes = await readCached(expected.hex, root);
    fromCache = bytes !== undefined;
  }
  if (!bytes)
    bytes = isUrl(source)
      ? await step('download image', { url: source, maxBytes }, () => download(source, { maxBytes }))
      : await readLocal(source, maxBytes);
  const actual = sha256Hex(bytes);
  if (expected.hex && actual !== expected.hex)
    throw new FlashRefused(
      'REFUSED_CHECKSUM',
      `${redact(name)}: SHA-256 is ${actual}, ${expected.from} says ${expected.hex}`,
    );
  if (!expected.hex)
    progress.emit('warn', `${redact(name)}: no checksum given or published; flashing sha256 ${actual}`);
  // Only downloads are cached: a local file is its own copy (and a refused one stays out).
  const path = fromCache ? cachedPath(actual, root) : isUrl(source) ? await writeCached(bytes, root) : resolve(source);
  return {
    bytes,
    sha256: actual,
    origin: redact(source),
    name,
    path,
    fromCache,
    checksum: expected.hex ? (opts.sha256 ? 'given' : 'sidecar') : 'none',
  };
}

async function expectedDigest(source: string, name: string, given?: string): Promise<{ hex?: string; from?: string }> {
  if (given) return { hex: normalizeSha256(given, '--sha256'), from: '--sha256' };
  for (const candidate of sidecarCandidates(source)) {
    const text = isUrl(candidate)
      ? await fetchOptionalText(candidate)
      : existsSync(candidate)
        ? await readFile(candidate, 'utf8')
        : undefined;
    if (text !== undefined) {
      const shown = redact(basename(candidate.replace(/[?#].*$/, '')));
      return { hex: parseSidecar(text, name, shown), from: shown };
    }
  }
  return {};
}

async function readLocal(path: string, maxBytes: number): Promise<Buffer> {
  const p = resolve(path);
  const st = await stat(p).catch(() => undefined);
  if (!st?.isFile()) throw new FlashRefused('REFUSED_NOT_FOUND', `${path}: no such file`);
  if (st.size > maxBytes)
    throw new FlashRefused('REFUSED_TOO_LARGE', `${path} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
  return readFile(p);
}
