// The twin's images: ensureTwinImages() returns a complete image set, building it when the
// cache has none for today's package versions, build code and keys. What `iommu-lab twin setup`
// runs on top (host packages, report) is setup.ts, which builds on this file, not the other way.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isRigError, RigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { sleep } from '../../lib/core/time.ts';
import { acquireLock, releaseLock } from '../base/lock.ts';
import { twinPaths } from '../base/paths.ts';
import { candidateVersions, currentKernelPackage, hostCodename } from './apt.ts';
import { type BuildPlan, buildImages } from './build.ts';
import { buildScriptsDigest, cacheKey } from './cache-key.ts';
import type { Compression } from './cpio.ts';
import { DOM0_PACKAGES } from './dom0.ts';
import { TFTP_FILES } from './ipxe.ts';
import { ensureTwinKeys, publicKeysDigestInput } from './keys.ts';
import { type Manifest, readManifest } from './manifest.ts';
import type { TwinImages } from './types.ts';

export { DEFAULT_XEN_COMMAND_LINE, renderIpxeScript } from './ipxe.ts';
export type { TwinImages } from './types.ts';

const SEABIOS = '/usr/share/seabios/bios-256k.bin';
const XEN_PACKAGE = 'xen-hypervisor-4.17-amd64';
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
  /** Defaults to twinPaths.images. */
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
  const tftpDir = join(dir, 'tftp');
  return {
    key: m.key,
    dir,
    tftpDir,
    xen: join(tftpDir, TFTP_FILES.xen),
    dom0Kernel: join(tftpDir, TFTP_FILES.kernel),
    dom0Initrd: join(tftpDir, TFTP_FILES.initrd),
    guestKernel: join(tftpDir, TFTP_FILES.kernel),
    guestInitrd: join(dir, 'guest', 'initrd.gz'),
    seabios: SEABIOS,
    xenVersion: m.xenPackageVersion.replace(/[+~-].*$/, ''),
    kernelVersion: m.kernelVersion,
  };
}

async function plan(root: string, compression: Compression): Promise<BuildPlan> {
  const keys = await ensureTwinKeys();
  const suite = await hostCodename();
  const kernel = await currentKernelPackage();
  const versions = await candidateVersions([XEN_PACKAGE, kernel.pkg, 'busybox-static', ...DOM0_PACKAGES]);
  const key = cacheKey({
    versions: { ...versions, 'dom0-compression': compression, suite },
    scripts: await buildScriptsDigest(),
    publicKeys: await publicKeysDigestInput(keys),
  });
  return {
    key,
    root,
    suite,
    xenPackage: XEN_PACKAGE,
    kernelPackage: kernel.pkg,
    kernelVersion: kernel.version,
    versions,
    keys,
    dom0Compression: compression,
  };
}

/** Folders left by builds that were interrupted or belong to older keys. */
async function prune(root: string, keep: string): Promise<void> {
  for (const name of await readdir(root)) {
    const tmp = /^\.tmp-.*-(\d+)$/.exec(name);
    const alive = tmp ? processAlive(Number(tmp[1])) : false;
    const kept = [keep, '.build.lock', twinPaths.currentImages];
    if (!kept.includes(name) && !alive) await rm(join(root, name), { recursive: true, force: true });
  }
}

async function waitForLock(lock: string, timeoutMs = 45 * 60_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    try {
      acquireLock(lock);
      return;
    } catch (e) {
      if (!isRigError(e, 'TWIN_LOCKED')) throw e;
      progress.emit('info', 'twin images: another build is running, waiting for it');
      await sleep(2000);
    }
  }
  throw new RigError(`another twin image build held ${lock} for ${timeoutMs / 60_000} min`, {
    code: 'TWIN_IMAGES_LOCKED',
    part: 'twin',
    phase: 'setup',
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `<root>/current` → `<key>`: the rig's boot server names `current/tftp/xen` and so on, and
 * follows the link (it stays inside the served root). Replaced atomically: a run serving from
 * it never sees it missing.
 */
export async function linkCurrent(root: string, key: string): Promise<void> {
  const tmp = join(root, `.current-${process.pid}`);
  await rm(tmp, { force: true });
  await symlink(key, tmp);
  await rename(tmp, join(root, twinPaths.currentImages));
}

export async function ensureTwinImagesDetailed(opts: EnsureOptions = {}): Promise<EnsureResult> {
  const r = await findOrBuild(opts);
  await linkCurrent(dirname(r.images.dir), basename(r.images.dir));
  return r;
}

async function findOrBuild(opts: EnsureOptions): Promise<EnsureResult> {
  const t0 = performance.now();
  const root = opts.root ?? twinPaths.images;
  const listener = (m: string): void => opts.onProgress?.(m);
  progress.on('info', listener);
  try {
    await mkdir(root, { recursive: true });
    const p = await plan(root, opts.dom0Compression ?? DEFAULT_DOM0_COMPRESSION);
    const dir = join(root, p.key);
    const cached = opts.force ? undefined : await readManifest(dir);
    if (cached && Object.values(imagesFrom(dir, cached)).every((v) => !v.startsWith('/') || existsSync(v))) {
      progress.emit('info', `twin images: cached ${p.key}`);
      return { images: imagesFrom(dir, cached), manifest: cached, built: false, elapsedMs: performance.now() - t0 };
    }
    if (process.getuid?.() !== 0) {
      throw new RigError(
        'building the twin images needs root (mmdebstrap, root-owned dom0 files): run `sudo iommu-lab twin setup`',
        {
          code: 'TWIN_IMAGES_NOT_ROOT',
          part: 'twin',
          phase: 'setup',
        },
      );
    }
    if (!existsSync(SEABIOS)) {
      throw new RigError(`${SEABIOS} is missing (Debian package seabios)`, { code: 'TWIN_SEABIOS', part: 'twin' });
    }
    // Two callers (the CLI and a starting twin) must not run mmdebstrap twice at once: the
    // second waits, then finds the first one's result in the cache.
    const lock = join(root, '.build.lock');
    await waitForLock(lock);
    try {
      const raced = opts.force ? undefined : await readManifest(dir);
      if (raced)
        return { images: imagesFrom(dir, raced), manifest: raced, built: false, elapsedMs: performance.now() - t0 };
      const manifest = await buildImages(p);
      await prune(root, p.key);
      return { images: imagesFrom(dir, manifest), manifest, built: true, elapsedMs: performance.now() - t0 };
    } finally {
      releaseLock(lock);
    }
  } finally {
    progress.off('info', listener);
  }
}

export async function ensureTwinImages(opts: EnsureOptions = {}): Promise<TwinImages> {
  return (await ensureTwinImagesDetailed(opts)).images;
}
