// Builds the static probe helpers (lib/dma/probe/*.c) with the system's gcc: one binary runs in
// any x86-64 Linux guest or dom0, busybox initramfs included, with no library to install there.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROBE_SOURCES = fileURLToPath(new URL('./probe/', import.meta.url));

/** The NIC register sequences: also built alone against a simulated register file (test/dma/probe). */
export const NIC_SOURCES = ['nic-ops.c', 'igb-pll.c'] as const;

export const HELPERS = {
  'dma-probe': ['dma-probe.c', 'probe-sysfs.c', ...NIC_SOURCES, 'dma-mem.c', 'm2p.c'],
  'dom0-canary': ['dom0-canary.c', 'm2p.c'],
} as const;

export type HelperName = keyof typeof HELPERS;

/** Compile one helper into outDir and return its path. */
export async function buildHelper(name: HelperName, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, name);
  const args = ['-static', '-O2', '-Wall', '-o', out, ...HELPERS[name].map((f) => join(PROBE_SOURCES, f))];
  try {
    await run('gcc', args, { timeout: 120_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('gcc not found: install gcc and libc6-dev (bash .ci/apt-packages.sh)');
    throw new Error(`building ${name} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' | ')}`);
  }
  return out;
}
