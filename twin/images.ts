// The bridge to the images helper (twin/images/): the daemon only needs the TFTP tree, and
// must still work (firmware, SeaBIOS, serial, flashing) when no image has been built.
import { existsSync } from 'node:fs';
import { twinPaths } from './base/paths.ts';
import { ensureTwinImages } from './images/index.ts';
import { twinSetup } from './images/setup.ts';
import type { TwinImages } from './images/types.ts';

/** True when `twin setup` has built images at least once (any cache key). */
export function imagesBuilt(): boolean {
  return existsSync(twinPaths.images);
}

/** Builds (or finds cached) images. */
export async function ensureImages(onProgress?: (m: string) => void): Promise<TwinImages> {
  return ensureTwinImages({ onProgress });
}

export async function runImagesSetup(onProgress?: (m: string) => void): Promise<string> {
  return (await twinSetup({ onProgress })).report;
}
