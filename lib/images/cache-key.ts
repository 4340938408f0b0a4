// The images' cache key: what went into them. Package versions as apt would install them
// today, the build code and baked files, the profile (flavour, network settings, layout) and
// the public halves of the keys they embed.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const HERE = import.meta.dirname;

async function sourceFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) out.push(...(await sourceFiles(join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out;
}

/** Orchestration, reporting and types: editing them does not change what an image contains. */
const NOT_IN_IMAGES = new Set([
  'ensure.ts',
  'lock.ts',
  'manifest.ts',
  'cache-key.ts',
  'ssh-keys.ts',
  'host-tools.ts',
  'bench.ts',
  'bench-keys.ts',
  'bench-report.ts',
]);

export async function buildScriptsDigest(dir = HERE): Promise<string> {
  const h = createHash('sha256');
  for (const f of await sourceFiles(dir)) {
    if (NOT_IN_IMAGES.has(f)) continue;
    h.update(`${f}\0`);
    h.update(await readFile(join(dir, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

export interface CacheKeyParts {
  versions: Record<string, string>;
  scripts: string;
  publicKeys: string;
  /** profileDigestInput(): flavour, network settings, layout, compression. */
  profile: string;
}

export function cacheKey(parts: CacheKeyParts): string {
  const h = createHash('sha256');
  for (const name of Object.keys(parts.versions).sort()) h.update(`${name}=${parts.versions[name]}\n`);
  h.update(`scripts=${parts.scripts}\n`);
  h.update(`keys=${parts.publicKeys}\n`);
  h.update(`profile=${parts.profile}\n`);
  return h.digest('hex').slice(0, 16);
}
