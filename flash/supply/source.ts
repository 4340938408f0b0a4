// Where an image comes from: a local path, an http(s) URL, or a Dasharo release named by
// flavour:version:board with the user's own copy of its ROM (release-source.ts). Either way the
// result is bytes with a SHA-256 that matched the expected one (given, from a sidecar next to the
// image, or published for the release); downloads are kept in the content cache. A mismatch
// stops everything before any part is touched.
import { existsSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { progress } from '../../lib/core/progress.ts';
import { redact } from '../../lib/core/redact.ts';
import { step } from '../../lib/core/step.ts';
import { cachedPath, cacheRoot, readCached, writeCached } from './cache.ts';
import { normalizeSha256, parseSidecar, sha256Hex, sidecarCandidates } from './checksum.ts';
import { isReleaseSpec, parseReleaseSpec, type ReleaseSpec, romRemedy } from './dasharo-releases.ts';
import { DEFAULT_MAX_BYTES, download, fetchOptionalText } from './download.ts';
import { FlashRefused } from './errors.ts';
import { checkRelease, type ReleaseCheck, type ReleaseOptions } from './release-source.ts';

export interface SourceOptions {
  sha256?: string;
  maxBytes?: number;
  cacheRoot?: string;
  /** The user's ROM for a release source (--firmware-file); a release has no public ROM. */
  file?: string;
  release?: ReleaseOptions;
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
  checksum: 'given' | 'sidecar' | 'release' | 'none';
  /** For a release source: the published checksum and signature it was checked against. */
  release?: ReleaseCheck;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

export async function resolveImage(source: string, opts: SourceOptions = {}): Promise<ResolvedImage> {
  checkSourceArgs(source, opts);
  if (isReleaseSpec(source)) return resolveRelease(source, opts);
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

/** A Dasharo release: the user's file, checked against what 3mdeb published for it. */
async function resolveRelease(source: string, opts: SourceOptions): Promise<ResolvedImage> {
  const { spec: r, file } = releaseRequest(source, opts);
  const bytes = await readLocal(file, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const release = await checkRelease(r, bytes, opts.release);
  return {
    bytes,
    sha256: sha256Hex(bytes),
    origin: `${r.spec} (${redact(file)})`,
    name: basename(file),
    path: resolve(file),
    fromCache: false,
    checksum: 'release',
    release,
  };
}

/** What the CLI checks before it opens anything: a release's words and file, or no file without one. */
export function checkSourceArgs(source: string, opts: Pick<SourceOptions, 'file' | 'sha256'>): void {
  if (isReleaseSpec(source)) releaseRequest(source, opts);
  else if (opts.file)
    throw new FlashRefused(
      'REFUSED_RELEASE',
      `--firmware-file goes with a Dasharo release (dasharo-seabios|dasharo-uefi:<version>:<board>), not with ${redact(source)}`,
    );
}

/**
 * The words of a release source and its ROM file, refused at once when they cannot work (the
 * CLI calls this before it opens anything): unknown release, no or no such file, --sha256.
 */
export function releaseRequest(
  source: string,
  opts: Pick<SourceOptions, 'file' | 'sha256'>,
): {
  spec: ReleaseSpec;
  file: string;
} {
  const r = parseReleaseSpec(source);
  if (opts.sha256)
    throw new FlashRefused(
      'REFUSED_RELEASE',
      `${r.spec}: --sha256 does not go with a release (its .sha256 is published)`,
    );
  if (!opts.file)
    throw new FlashRefused(
      'REFUSED_NO_ROM',
      `${r.spec}: give your copy of the ROM with --firmware-file; ${romRemedy(r)}`,
    );
  if (!statSync(opts.file, { throwIfNoEntry: false })?.isFile())
    throw new FlashRefused('REFUSED_NO_ROM', `${r.spec}: --firmware-file ${opts.file}: no such file; ${romRemedy(r)}`);
  return { spec: r, file: opts.file };
}
