// Images by content: .cache/firmware/<sha256>.rom, so CI does not download one build twice.
// Entries are written atomically and re-hashed on use (a half-written or rotted file is a miss).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/core/paths.ts';
import { sha256Hex } from './checksum.ts';

/** Read at each use, so IOMMU_LAB_CACHE set by a CI job (or a test) applies. */
export const cacheRoot = (): string => process.env.IOMMU_LAB_CACHE ?? join(PROJECT_ROOT, '.cache');
const firmwareCacheDir = (root = cacheRoot()): string => join(root, 'firmware');

export function cachedPath(sha256: string, root = cacheRoot()): string {
  return join(firmwareCacheDir(root), `${sha256}.rom`);
}

export async function readCached(sha256: string, root = cacheRoot()): Promise<Buffer | undefined> {
  const p = cachedPath(sha256, root);
  if (!existsSync(p)) return undefined;
  const data = await readFile(p);
  return sha256Hex(data) === sha256 ? data : undefined;
}

export async function writeCached(data: Buffer, root = cacheRoot()): Promise<string> {
  const sha = sha256Hex(data);
  const p = cachedPath(sha, root);
  await mkdir(firmwareCacheDir(root), { recursive: true });
  const tmp = `${p}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, p);
  return p;
}
