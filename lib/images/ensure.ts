// A complete image set for a profile: found in the folder of cached sets when one exists for
// today's package versions, build code, profile and keys, built otherwise. Both consumers (the
// twin's twin/images and a bench's `iommu-lab pxe images`) come through here.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { processAlive } from '../core/process-alive.ts';
import { progress } from '../core/progress.ts';
import { candidateVersions, currentKernelPackage, hostCodename } from './apt.ts';
import { type BuildPlan, buildImages } from './build.ts';
import { buildScriptsDigest, cacheKey } from './cache-key.ts';
import { DOM0_PACKAGES } from './dom0.ts';
import { releaseBuildLock, waitForBuildLock } from './lock.ts';
import { type Manifest, readManifest } from './manifest.ts';
import { type ImageProfile, profileDigestInput } from './profile.ts';
import { publicKey } from './ssh-keys.ts';

export const XEN_PACKAGE = 'xen-hypervisor-4.17-amd64';
/** `<setsDir>/current` → the set last ensured, for consumers that name files through it. */
export const CURRENT = 'current';

export interface EnsureSetOptions {
  /** Where the sets live, one folder per cache key. */
  setsDir: string;
  profile: ImageProfile;
  force?: boolean;
  /** The error to throw when a build is needed and this process is not root. */
  notRoot: () => Error;
}

export interface EnsureSetResult {
  dir: string;
  manifest: Manifest;
  /** False when the cache already held this key. */
  built: boolean;
  elapsedMs: number;
}

/** Package versions apt would install today, and the cache key with everything else. */
export async function planBuild(setsDir: string, profile: ImageProfile): Promise<BuildPlan> {
  const suite = await hostCodename();
  const kernel = await currentKernelPackage();
  const versions = await candidateVersions([XEN_PACKAGE, kernel.pkg, 'busybox-static', ...DOM0_PACKAGES]);
  const key = cacheKey({
    versions: { ...versions, 'dom0-compression': profile.dom0Compression, suite },
    scripts: await buildScriptsDigest(),
    publicKeys: await publicKeysInput(profile),
    profile: profileDigestInput(profile),
  });
  return {
    key,
    setsDir,
    suite,
    xenPackage: XEN_PACKAGE,
    kernelPackage: kernel.pkg,
    kernelVersion: kernel.version,
    versions,
    profile,
  };
}

/** Public halves only: what the images embed, so a new key changes the cache key. */
export async function publicKeysInput(p: ImageProfile): Promise<string> {
  return [p.keys.authorizedKeys.trim(), await publicKey(p.keys.dom0HostKey), await publicKey(p.keys.guestHostKey)].join(
    '\n',
  );
}

/** Folders left by builds that were interrupted or belong to older keys. */
async function prune(setsDir: string, keep: string): Promise<void> {
  for (const name of await readdir(setsDir)) {
    const tmp = /^\.tmp-.*-(\d+)$/.exec(name);
    const alive = tmp ? processAlive(Number(tmp[1])) : false;
    if (![keep, '.build.lock', CURRENT].includes(name) && !alive)
      await rm(join(setsDir, name), { recursive: true, force: true });
  }
}

/** Every file the manifest lists is still there. */
const complete = (dir: string, m: Manifest): boolean => Object.keys(m.sizes).every((f) => existsSync(join(dir, f)));

export async function ensureImageSet(opts: EnsureSetOptions): Promise<EnsureSetResult> {
  const t0 = performance.now();
  const { setsDir, profile } = opts;
  await mkdir(setsDir, { recursive: true });
  const plan = await planBuild(setsDir, profile);
  const dir = join(setsDir, plan.key);
  const done = (manifest: Manifest, built: boolean): EnsureSetResult => ({
    dir,
    manifest,
    built,
    elapsedMs: performance.now() - t0,
  });
  const cached = opts.force ? undefined : await readManifest(dir);
  if (cached && complete(dir, cached)) {
    progress.emit('info', `${profile.label}: cached ${plan.key}`);
    return done(cached, false);
  }
  if (process.getuid?.() !== 0) throw opts.notRoot();
  const lock = join(setsDir, '.build.lock');
  await waitForBuildLock(lock, profile.label);
  try {
    const raced = opts.force ? undefined : await readManifest(dir);
    if (raced) return done(raced, false);
    const manifest = await buildImages(plan);
    await prune(setsDir, plan.key);
    return done(manifest, true);
  } finally {
    releaseBuildLock(lock);
  }
}

/**
 * `<setsDir>/current` → `<key>`: consumers name `current/...` and follow the link (it stays
 * inside the served root). Replaced atomically: a run serving from it never sees it missing.
 */
export async function linkCurrent(setsDir: string, key: string): Promise<void> {
  await swapLink(key, join(setsDir, CURRENT));
}

/** `link` → `target`, made beside it and renamed over it: never missing, never half made. */
export async function swapLink(target: string, link: string): Promise<void> {
  const tmp = `${link}.tmp-${process.pid}`;
  await rm(tmp, { force: true });
  await symlink(target, tmp);
  await rename(tmp, link);
}

/** The not-root error for a consumer that has no better one. */
export function notRootError(command: string): RigError {
  return new RigError(`building an image set needs root (mmdebstrap, root-owned dom0 files): run \`sudo ${command}\``, {
    code: 'IMAGES_NOT_ROOT',
    part: 'host',
  });
}
