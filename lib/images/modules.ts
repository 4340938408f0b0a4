// Picks kernel modules (and everything they depend on) out of an unpacked linux-image
// package, so dom0 and the guest carry a few MiB of modules instead of ~400 MiB.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { RigError } from '../core/errors.ts';
import { check } from '../core/exec.ts';

const norm = (name: string): string => name.replace(/-/g, '_');

async function walk(dir: string, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (/\.ko(\.xz|\.zst|\.gz)?$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * `<root>/lib/modules/<version>` of an unpacked kernel package or a rootfs; Debian 13's kernel
 * package (merged /usr) ships them under usr/lib/modules. A rootfs has /lib → usr/lib either way.
 */
const modulesDir = (root: string, version: string): string => {
  const merged = join(root, 'usr', 'lib', 'modules', version);
  return existsSync(merged) ? merged : join(root, 'lib', 'modules', version);
};

/**
 * Module files (relative to the modules dir) for `names` and their dependencies, dependencies
 * first, so loading them in order with plain insmod works.
 */
export async function resolveModules(kernelRoot: string, version: string, names: readonly string[]): Promise<string[]> {
  const base = modulesDir(kernelRoot, version);
  const byName = new Map<string, string>();
  for (const f of await walk(join(base, 'kernel'))) {
    byName.set(norm(f.replace(/^.*\//, '').replace(/\.ko(\..*)?$/, '')), f);
  }
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = async (name: string, chain: string[]): Promise<void> => {
    const key = norm(name);
    if (seen.has(key)) return;
    seen.add(key);
    const file = byName.get(key);
    if (!file) {
      throw new RigError(`kernel ${version} has no module ${name} (needed by ${chain.join(' ← ') || 'the images'})`, {
        code: 'IMAGES_MODULE_MISSING',
      });
    }
    const deps = (await check(['modinfo', '-F', 'depends', file])).stdout.trim();
    for (const d of deps.split(',').filter(Boolean)) await visit(d, [name, ...chain]);
    ordered.push(relative(base, file));
  };
  for (const n of names) await visit(n, []);
  return ordered;
}

/** Copy the modules into `destRoot` and let depmod index them there (for modprobe). */
export async function installModules(kernelRoot: string, version: string, rel: readonly string[], destRoot: string) {
  const from = modulesDir(kernelRoot, version);
  const to = modulesDir(destRoot, version);
  for (const r of rel) {
    await mkdir(dirname(join(to, r)), { recursive: true });
    await copyFile(join(from, r), join(to, r));
  }
  // depmod needs to know what is built in, or it warns about every "missing" dependency.
  for (const f of ['modules.builtin', 'modules.builtin.modinfo', 'modules.order']) {
    await copyFile(join(from, f), join(to, f)).catch(() => undefined);
  }
  await check(['depmod', '-b', destRoot, version]);
}
