// The bridge to the images helper (twin/images/): the daemon only needs the TFTP tree, and must
// work (firmware, SeaBIOS, serial, flashing) before any image is built.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TwinImages } from './images/types.ts';

const INDEX = join(import.meta.dirname, 'images', 'index.ts');

interface ImagesModule {
  ensureTwinImages?: (opts?: unknown) => Promise<TwinImages>;
  twinSetup?: (opts?: unknown) => Promise<unknown>;
}

async function load(): Promise<ImagesModule | undefined> {
  return existsSync(INDEX) ? ((await import(INDEX)) as ImagesModule) : undefined;
}

export async function imagesAvailable(): Promise<boolean> {
  return Boolean((await load())?.ensureTwinImages);
}

/** Builds (or finds cached) images; undefined when the images module is not there. */
export async function ensureImages(): Promise<TwinImages | undefined> {
  const mod = await load();
  return mod?.ensureTwinImages ? mod.ensureTwinImages() : undefined;
}

export async function runImagesSetup(): Promise<boolean> {
  const mod = await load();
  if (!mod?.twinSetup) return false;
  await mod.twinSetup();
  return true;
}
