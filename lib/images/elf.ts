// Copies dynamically linked programs from the dom0 rootfs into the small guest initramfs,
// with exactly the shared libraries the rootfs's own loader resolves for them.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { check } from '../core/exec.ts';

const LOADER = 'usr/lib64/ld-linux-x86-64.so.2';
const LIBDIRS = ['usr/lib/x86_64-linux-gnu', 'usr/lib'];

/** Files (relative to rootfs) a program needs, the program itself included. */
export async function closure(rootfs: string, programs: readonly string[]): Promise<string[]> {
  const files = new Set<string>([LOADER]);
  for (const prog of programs) {
    files.add(prog);
    const r = await check([
      join(rootfs, LOADER),
      '--library-path',
      LIBDIRS.map((d) => join(rootfs, d)).join(':'),
      '--list',
      join(rootfs, prog),
    ]);
    for (const m of r.stdout.matchAll(/=>\s+(\/\S+)\s+\(/g)) {
      if (m[1].startsWith(`${rootfs}/`)) files.add(relative(rootfs, m[1]));
    }
  }
  return [...files].sort();
}

/** Copy each file's content (symlinks followed) to the same relative path under dest. */
export async function copyFiles(rootfs: string, files: readonly string[], dest: string): Promise<void> {
  for (const f of files) {
    await mkdir(dirname(join(dest, f)), { recursive: true });
    await copyFile(join(rootfs, f), join(dest, f));
  }
}
