// What a finished image folder records about itself; its presence marks the folder complete.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Compression } from './cpio.ts';

export const MANIFEST = 'manifest.json';

export interface Manifest {
  key: string;
  builtAt: string;
  versions: Record<string, string>;
  kernelVersion: string;
  xenPackageVersion: string;
  dom0Compression: Compression;
  buildMs: number;
  stepsMs: Record<string, number>;
  /** Bytes, by path relative to the folder. */
  sizes: Record<string, number>;
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}
