// The bridge to the images helper (twin/images/): the daemon only needs the TFTP tree, and
// must still work (firmware, SeaBIOS, serial, flashing) when no image has been built.
import { existsSync } from 'node:fs';
import { BOOKWORM, type ImageRelease } from '../lib/images/release.ts';
import { ensureTwinImages } from './images/index.ts';
import { twinImagesRoot } from './images/sets.ts';
import { twinSetup } from './images/setup.ts';
import type { TwinImages } from './images/types.ts';

/** True when `twin setup` has built the release's images at least once (any cache key). */
export function imagesBuilt(release: ImageRelease = BOOKWORM): boolean {
  return existsSync(twinImagesRoot(release));
}

/** Builds (or finds cached) images of the release (Debian 12's Xen 4.17 unless told). */
export async function ensureImages(onProgress?: (m: string) => void, release?: ImageRelease): Promise<TwinImages> {
  return ensureTwinImages({ onProgress, release });
}

export async function runImagesSetup(onProgress?: (m: string) => void, release?: ImageRelease): Promise<string> {
  return (await twinSetup({ onProgress, release })).report;
}
