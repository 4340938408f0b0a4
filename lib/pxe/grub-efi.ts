// The GRUB EFI binary the UEFI boot serves: Debian's grub-mkstandalone (grub-efi-amd64-bin) with
// the stub config (lib/pxe/grub-cfg.ts renderGrubStub) embedded as its memdisk's
// boot/grub/grub.cfg — a chainloaded GRUB finds no config by itself (xcp-ng/xcp #482). Built once
// per content: the cache key is the tool's version, the modules and the stub, so a rig whose
// boot server address does not change builds it once.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { exec } from '../core/exec.ts';
import { PROJECT_ROOT } from '../core/paths.ts';
import { printable } from '../core/printable.ts';

export const GRUB_TOOL = 'grub-mkstandalone';

/**
 * Preloaded into the image (grub-mkimage adds what they depend on): the stub's and grub.cfg's
 * commands (`[` test, echo, source from configfile, boot), the network (efinet, net, http) and
 * the loader (multiboot2). Nothing is loaded from the network but the files grub.cfg names.
 */
export const GRUB_MODULES = ['normal', 'configfile', 'echo', 'test', 'efinet', 'net', 'http', 'multiboot2', 'boot'];

const cacheRoot = () => process.env.IOMMU_LAB_GRUB_CACHE ?? join(PROJECT_ROOT, '.cache', 'grub-efi');

const missing = () =>
  new RigError(
    `${GRUB_TOOL} not found: the UEFI boot serves GRUB EFI built by it; apt-get install grub-efi-amd64-bin`,
    {
      code: 'PXE_GRUB_MISSING',
    },
  );

/** `grub-mkstandalone (GRUB) 2.06-13+deb12u2`, or PXE_GRUB_MISSING. */
export async function grubToolVersion(): Promise<string> {
  const r = await exec([GRUB_TOOL, '--version'], { timeoutMs: 10_000 }).catch(() => undefined);
  if (r?.exitCode !== 0) throw missing();
  return r.stdout.trim();
}

export interface GrubEfi {
  /** The binary, read into memory (about 1 MB). */
  bytes: Buffer;
  /** Its place in the cache. */
  file: string;
  /** The tool's `--version` line, for the record. */
  tool: string;
  cached: boolean;
}

/** grubx64.efi with `stub` embedded: from the cache, or built into it. */
export async function grubEfi(stub: string): Promise<GrubEfi> {
  const tool = await grubToolVersion();
  const key = createHash('sha256')
    .update(`${tool}\0${GRUB_MODULES.join(' ')}\0${stub}`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheRoot(), key);
  const file = join(dir, 'grubx64.efi');
  if (existsSync(file)) return { bytes: await readFile(file), file, tool, cached: true };
  await mkdir(cacheRoot(), { recursive: true });
  const work = await mkdtemp(join(cacheRoot(), '.build-'));
  try {
    const stubFile = join(work, 'stub.cfg');
    await writeFile(stubFile, stub);
    const out = join(work, 'grubx64.efi');
    const mods = GRUB_MODULES.join(' ');
    // One argv, no shell; the memdisk holds the stub and the same modules only (no fonts, locales, themes).
    const r = await exec(
      [
        GRUB_TOOL,
        '-O',
        'x86_64-efi',
        '-o',
        out,
        `--modules=${mods}`,
        `--install-modules=${mods}`,
        '--locales=',
        '--fonts=',
        '--themes=',
        `boot/grub/grub.cfg=${stubFile}`,
      ],
      { timeoutMs: 120_000 },
    ).catch((e) => {
      throw (e as RigError).code === 'EXEC_SPAWN' ? missing() : e;
    });
    if (r.exitCode !== 0 || r.timedOut) {
      const why = printable(r.stderr.trim().split('\n').pop() ?? '', { max: 200 });
      throw new RigError(`${GRUB_TOOL} failed (exit ${r.exitCode}: ${why}): reinstall grub-efi-amd64-bin`, {
        code: 'PXE_GRUB_BUILD',
      });
    }
    // Whole or not at all: a concurrent build of the same key renames the same bytes.
    await mkdir(dir, { recursive: true });
    await rename(out, file);
    return { bytes: await readFile(file), file, tool, cached: false };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
