// The twin's images: ensureTwinImages() returns a complete image set (and its manifest), building it (with the
// builder every image set shares, lib/images) when the cache has none for today's package
// versions, build code, profile and keys. What `iommu-lab twin setup` runs on top (host
// packages, report) is setup.ts, which builds on this file, not the other way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import type { Compression } from '../../lib/images/cpio.ts';
import { ensureImageSet, linkCurrent } from '../../lib/images/ensure.ts';
import { type Manifest, xenVersionOf } from '../../lib/images/manifest.ts';
import { BOOKWORM, type ImageRelease } from '../../lib/images/release.ts';
import { ensureTwinKeys } from './keys.ts';
import { TWIN_LAYOUT, twinProfile } from './profile.ts';
import { twinImagesRoot } from './sets.ts';
import type { TwinImages } from './types.ts';

export { linkCurrent } from '../../lib/images/ensure.ts';
export { DEFAULT_XEN_COMMAND_LINE } from './boot-files.ts';
export type { TwinImages } from './types.ts';

const SEABIOS = '/usr/share/seabios/bios-256k.bin';
/**
 * Measured PXE boots (SeaBIOS → iPXE → Xen → dom0 marker, TCG, idle 2-core machine): the
 * 101 MiB plain cpio took 4.6 s over TFTP and 40 s to the marker, the 49 MiB gzip -1 one 2.7 s
 * and 34–39 s; the kernel unpacks either in ~4 s. gzip -1 wins.
 */
const DEFAULT_DOM0_COMPRESSION: Compression = 'gzip-1';

export interface EnsureOptions {
  force?: boolean;
  onProgress?: (message: string) => void;
  dom0Compression?: Compression;
  /** Debian 12's Xen 4.17 (the default) or Debian 13's Xen 4.20. */
  release?: ImageRelease;
  /** Defaults to the release's folder of sets (twinImagesRoot). */
  root?: string;
}

export interface EnsureResult {
  images: TwinImages;
  manifest: Manifest;
  /** False when the cache already held this key. */
  built: boolean;
  elapsedMs: number;
}

function imagesFrom(dir: string, m: Manifest): TwinImages {
  return {
    key: m.key,
    dir,
    bootDir: join(dir, 'boot'),
    xen: join(dir, TWIN_LAYOUT.xen),
    dom0Kernel: join(dir, TWIN_LAYOUT.dom0Kernel),
    dom0Initrd: join(dir, TWIN_LAYOUT.dom0Initrd),
    guestKernel: join(dir, TWIN_LAYOUT.dom0Kernel),
    guestInitrd: join(dir, TWIN_LAYOUT.guestInitrd),
    seabios: SEABIOS,
    xenVersion: xenVersionOf(m.xenPackageVersion),
    kernelVersion: m.kernelVersion,
  };
}

/** The one way to the twin's images: built, or found in the cache, and linked as `current`. */
export async function ensureTwinImages(opts: EnsureOptions = {}): Promise<EnsureResult> {
  const release = opts.release ?? BOOKWORM;
  const root = opts.root ?? twinImagesRoot(release);
  const listener = (m: string): void => opts.onProgress?.(m);
  progress.on('info', listener);
  try {
    if (!existsSync(SEABIOS)) {
      throw new RigError(`${SEABIOS} is missing (Debian package seabios)`, { code: 'TWIN_SEABIOS' });
    }
    const profile = await twinProfile(
      await ensureTwinKeys(),
      opts.dom0Compression ?? DEFAULT_DOM0_COMPRESSION,
      release.id === BOOKWORM.id ? 'twin images' : `twin images (Xen ${release.xen})`,
    );
    const r = await ensureImageSet({
      setsDir: root,
      profile,
      release,
      force: opts.force,
      notRoot: () =>
        new RigError(
          'building the twin images needs root (mmdebstrap, root-owned dom0 files): run `sudo iommu-lab twin setup`',
          { code: 'TWIN_IMAGES_NOT_ROOT', phase: 'setup' },
        ),
    });
    await linkCurrent(root, r.manifest.key);
    return { images: imagesFrom(r.dir, r.manifest), manifest: r.manifest, built: r.built, elapsedMs: r.elapsedMs };
  } finally {
    progress.off('info', listener);
  }
}
