// A complete image set for a profile: found in the folder of cached sets when one exists for
// today's package versions, build code, profile and keys, built otherwise. Both consumers (the
// twin's twin/images and a bench's `iommu-lab pxe images`) come through here.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RigError } from '../core/errors.ts';
import { processAlive } from '../core/process-alive.ts';
import { progress } from '../core/progress.ts';
import { type AptContext, candidateVersions, currentKernelPackage, hostCodename } from './apt.ts';
import { releaseApt } from './apt-release.ts';
import { type BuildPlan, buildImages } from './build.ts';
import { buildScriptsDigest, cacheKey } from './cache-key.ts';
import { dom0Packages } from './dom0.ts';
import { releaseBuildLock, waitForBuildLock } from './lock.ts';
import { type Manifest, readManifest } from './manifest.ts';
import { type ImageProfile, profileDigestInput } from './profile.ts';
import { BOOKWORM, type ImageRelease, RELEASES, xenPackage } from './release.ts';
import { publicKey } from './ssh-keys.ts';

/** `<setsDir>/current` → the set last ensured, for consumers that name files through it. */
export const CURRENT = 'current';

export interface EnsureSetOptions {
  /** Where the sets live, one folder per cache key. */
  setsDir: string;
  profile: ImageProfile;
  /** The Debian release (and Xen) to build from; defaults to the host's own (hostRelease()). */
  release?: ImageRelease;
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

/** The release the host runs (what a set was always built from); Debian 12's when the host is neither. */
export async function hostRelease(): Promise<ImageRelease> {
  const suite = await hostCodename();
  return RELEASES.find((r) => r.suite === suite) ?? BOOKWORM;
}

/** The folder (inside the sets' folder, kept by prune) where the builder's own apt for `suite` lives. */
export const aptDirName = (suite: string): string => `.apt-${suite}`;

/** The host's apt for the host's release; the builder's own, beside the sets, for another. */
async function aptFor(setsDir: string, release: ImageRelease): Promise<AptContext> {
  if ((await hostCodename()) === release.suite) return {};
  return releaseApt(join(setsDir, aptDirName(release.suite)), release.suite);
}

/** Package versions apt would install today, and the cache key with everything else. */
export async function planBuild(setsDir: string, profile: ImageProfile, release?: ImageRelease): Promise<BuildPlan> {
  const rel = release ?? (await hostRelease());
  const suite = rel.suite;
  const apt = await aptFor(setsDir, rel);
  const kernel = await currentKernelPackage(apt);
  const xen = xenPackage(rel);
  const versions = await candidateVersions([xen, kernel.pkg, 'busybox-static', ...dom0Packages(rel)], apt);
  const key = cacheKey({
    versions: { ...versions, 'dom0-compression': profile.dom0Compression, suite },
    scripts: await buildScriptsDigest(),
    publicKeys: await publicKeysInput(profile),
    profile: profileDigestInput(profile),
  });
  return {
    key,
    setsDir,
    release: rel,
    apt,
    xenPackage: xen,
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
    if (![keep, '.build.lock', CURRENT].includes(name) && !name.startsWith('.apt-') && !alive)
      await rm(join(setsDir, name), { recursive: true, force: true });
  }
}

/** Every file the manifest lists is still there. */
const complete = (dir: string, m: Manifest): boolean => Object.keys(m.sizes).every((f) => existsSync(join(dir, f)));

export async function ensureImageSet(opts: EnsureSetOptions): Promise<EnsureSetResult> {
  const t0 = performance.now();
  const { setsDir, profile } = opts;
  await mkdir(setsDir, { recursive: true });
  const plan = await planBuild(setsDir, profile, opts.release);
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
  });
}
