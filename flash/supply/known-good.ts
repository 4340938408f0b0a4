// What we keep per rig under .cache/boards/<rig>/: the chip as it was before each run's first
// flash (last-<timestamp>.rom), the exact bytes last written (flashed.rom), and the image to
// go back to when things go wrong (known-good.rom: marked after a healthy run, or the first
// coreboot-looking read of the chip when none was marked yet).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { progress } from '../../lib/core/progress.ts';
import { findMasterHeader } from '../image/cbfs.ts';
import { findFmap } from '../image/fmap.ts';
import { cacheRoot } from './cache.ts';

export const boardDir = (rig: string, root = cacheRoot()): string => join(root, 'boards', rig);
export const knownGoodPath = (rig: string, root = cacheRoot()): string => join(boardDir(rig, root), 'known-good.rom');
const flashedPath = (rig: string, root = cacheRoot()): string => join(boardDir(rig, root), 'flashed.rom');

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

async function atomicWrite(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Keeps the chip's content read before a flash; adopts it as known-good if none exists yet. */
export async function keepLastImage(rig: string, chip: Buffer, root = cacheRoot()): Promise<string> {
  const dir = boardDir(rig, root);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `last-${stamp()}.rom`);
  const adopt = !existsSync(knownGoodPath(rig, root)) && (findFmap(chip) || findMasterHeader(chip));
  await Promise.all([atomicWrite(path, chip), adopt ? atomicWrite(knownGoodPath(rig, root), chip) : undefined]);
  if (adopt)
    progress.emit('info', `flash: no known-good image for ${rig} yet; the chip's current content is now known-good`);
  return path;
}

export async function keepFlashed(rig: string, image: Buffer, root = cacheRoot()): Promise<void> {
  await mkdir(boardDir(rig, root), { recursive: true });
  await atomicWrite(flashedPath(rig, root), image);
}

/** Marks the last image written (this is run after a healthy run) as the rig's known-good. */
export async function markKnownGood(rig: string, root = cacheRoot()): Promise<string | undefined> {
  if (!existsSync(flashedPath(rig, root))) return undefined;
  await copyFile(flashedPath(rig, root), knownGoodPath(rig, root));
  return knownGoodPath(rig, root);
}

export async function readKnownGood(rig: string, root = cacheRoot()): Promise<Buffer | undefined> {
  const p = knownGoodPath(rig, root);
  return existsSync(p) ? readFile(p) : undefined;
}
