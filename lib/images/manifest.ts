// What a finished image folder records about itself; its presence marks the folder complete.
// The run's summary reads it back through the served files (lib/pxe/served-manifest.ts).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Compression } from './cpio.ts';

export const MANIFEST = 'manifest.json';

export interface Manifest {
  key: string;
  /** Absent in sets built before flavours existed (all of them the twin's). */
  flavour?: 'twin' | 'bench';
  builtAt: string;
  versions: Record<string, string>;
  kernelVersion: string;
  xenPackageVersion: string;
  dom0Compression: Compression;
  buildMs: number;
  stepsMs: Record<string, number>;
  /** Bytes, by path relative to the folder. */
  sizes: Record<string, number>;
  /** SHA-256 of each file, by path relative to the folder. */
  sha256?: Record<string, string>;
  /** One hash for the whole set: see imageHash(). */
  imageHash?: string;
  /** OpenSSH fingerprints of the baked host keys, for a rig's hostKey.fingerprint. */
  hostKeys?: { dom0: string; guest: string };
}

/** SHA-256 over the sorted "path sha256" lines: equal sets, equal hash, whatever the folder. */
export function imageHash(files: Record<string, string>): string {
  const h = createHash('sha256');
  for (const p of Object.keys(files).sort()) h.update(`${p} ${files[p]}\n`);
  return h.digest('hex');
}

/** "4.17.5+23-ga4e5191b1f-1" → "4.17.5": Xen's own version, as `xl info` would say. */
export function xenVersionOf(packageVersion: string): string {
  return packageVersion.replace(/[+~-].*$/, '');
}

/** What a run records of the set it served (summary.json `images`). */
export interface ImageSetFacts {
  key: string;
  imageHash: string | null;
  xenVersion: string;
  xenPackageVersion: string;
  dom0Kernel: string;
  flavour: string | null;
  builtAt: string;
}

export function imageSetFacts(m: Manifest): ImageSetFacts {
  return {
    key: m.key,
    imageHash: m.imageHash ?? null,
    xenVersion: xenVersionOf(m.xenPackageVersion),
    xenPackageVersion: m.xenPackageVersion,
    dom0Kernel: m.kernelVersion,
    flavour: m.flavour ?? null,
    builtAt: m.builtAt,
  };
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}
