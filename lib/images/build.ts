// Builds one complete image set into a temporary folder and renames it into place, so an
// interrupted build never looks complete. Each step is timed for the setup report, and the
// manifest records what went in (versions) and what came out (sizes, SHA-256).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { check } from '../core/exec.ts';
import { progress } from '../core/progress.ts';
import { shq } from '../core/quote.ts';
import { sha256File } from '../core/sha256-file.ts';
import { type AptContext, aptSourcesFor, downloadAndExtract } from './apt.ts';
import { packCpio } from './cpio.ts';
import { bootstrapDom0, customizeDom0 } from './dom0.ts';
import { buildGuestInitrd } from './guest.ts';
import { buildHvmBootDisk } from './hvm-boot-disk.ts';
import { imageHash, MANIFEST, type Manifest } from './manifest.ts';
import type { ImageProfile } from './profile.ts';
import { type ImageRelease, xenBinaryIn } from './release.ts';
import { fingerprint } from './ssh-keys.ts';
import { writeVmlinuxGz } from './vmlinux.ts';

export interface BuildPlan {
  key: string;
  /** The folder of cached sets: this one lands in `<setsDir>/<key>`. */
  setsDir: string;
  release: ImageRelease;
  /** The host's apt for the host's own release, the builder's own for another (apt-release.ts). */
  apt: AptContext;
  xenPackage: string;
  kernelPackage: string;
  kernelVersion: string;
  versions: Record<string, string>;
  profile: ImageProfile;
}

export async function buildImages(plan: BuildPlan): Promise<Manifest> {
  const { profile } = plan;
  const out = profile.layout;
  const tmp = join(plan.setsDir, `.tmp-${plan.key}-${process.pid}`);
  const work = join(tmp, 'work');
  const at = (rel: string): string => join(tmp, rel);
  const steps: Record<string, number> = {};
  const total = 6;
  let done = 0;
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    progress.emit('work', `${profile.label}: ${name}`, done, total);
    const t0 = performance.now();
    const v = await fn();
    steps[name] = Math.round(performance.now() - t0);
    progress.emit('info', `${profile.label}: ${name} (${(steps[name] / 1000).toFixed(1)} s)`);
    done++;
    return v;
  };
  const started = performance.now();
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(work, 'debs'), { recursive: true });
  await mkdir(join(work, 'pkgs'), { recursive: true });
  for (const rel of Object.values(out)) await mkdir(dirname(at(rel)), { recursive: true });
  const pkgs = join(work, 'pkgs');

  await step('download xen, kernel, busybox', () =>
    downloadAndExtract([plan.xenPackage, plan.kernelPackage, 'busybox-static'], join(work, 'debs'), pkgs, plan.apt),
  );
  // iPXE and QEMU's -kernel load a plain multiboot ELF, not Debian's gzipped one.
  await check(['sh', '-c', `gunzip -c ${shq(join(pkgs, xenBinaryIn(plan.release)))} > ${shq(at(out.xen))}`]);
  await copyFile(join(pkgs, 'boot', `vmlinuz-${plan.kernelVersion}`), at(out.dom0Kernel));

  const rootfs = join(work, 'rootfs');
  await step('dom0 rootfs (mmdebstrap)', async () => {
    const sources = join(work, 'sources.list');
    await writeFile(sources, plan.apt.sources ?? (await aptSourcesFor(plan.release.suite, plan.apt)));
    await bootstrapDom0(rootfs, plan.release, sources);
  });
  const guestInitrd = at(out.guestInitrd);
  const hvmBootDisk = join(work, 'hvm-boot.img');
  const pvKernel = join(work, 'vmlinux.gz');
  await step('guest initramfs, HVM boot disk, PV kernel', async () => {
    await buildGuestInitrd(join(work, 'guest-root'), guestInitrd, {
      rootfs,
      kernelRoot: pkgs,
      kernelVersion: plan.kernelVersion,
      // Debian 12's busybox-static ships /bin/busybox, Debian 13's (merged /usr) /usr/bin/busybox.
      busybox: ['bin/busybox', 'usr/bin/busybox'].map((p) => join(pkgs, p)).find((p) => existsSync(p)) ?? '',
      keys: profile.keys,
      address: profile.guest.address,
    });
    await buildHvmBootDisk(hvmBootDisk, { kernel: at(out.dom0Kernel), initrd: guestInitrd, work });
    await writeVmlinuxGz(at(out.dom0Kernel), pvKernel, work);
  });
  await step('dom0 customize', () =>
    customizeDom0(rootfs, {
      release: plan.release,
      kernelRoot: pkgs,
      kernelVersion: plan.kernelVersion,
      keys: profile.keys,
      nicPci: profile.dom0.nicPci,
      address: profile.dom0.address,
      guestKernel: at(out.dom0Kernel),
      guestInitrd,
      hvmBootDisk,
      pvKernel,
    }),
  );
  await step(`dom0 initramfs (${profile.dom0Compression})`, () =>
    packCpio(rootfs, at(out.dom0Initrd), profile.dom0Compression),
  );
  await step('clean up', () => rm(work, { recursive: true, force: true }));

  const sizes: Record<string, number> = {};
  const sha256: Record<string, string> = {};
  for (const rel of [out.xen, out.dom0Kernel, out.dom0Initrd, out.guestInitrd]) {
    sizes[rel] = (await stat(at(rel))).size;
    sha256[rel] = await sha256File(at(rel));
  }
  const manifest: Manifest = {
    key: plan.key,
    flavour: profile.flavour,
    builtAt: new Date().toISOString(),
    versions: plan.versions,
    kernelVersion: plan.kernelVersion,
    xenPackageVersion: plan.versions[plan.xenPackage],
    dom0Compression: profile.dom0Compression,
    buildMs: Math.round(performance.now() - started),
    stepsMs: steps,
    sizes,
    sha256,
    imageHash: imageHash(sha256),
    hostKeys: {
      dom0: await fingerprint(profile.keys.dom0HostKey),
      guest: await fingerprint(profile.keys.guestHostKey),
    },
  };
  // Written last and inside the temp folder: a folder without it is never used.
  await writeFile(join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const dest = join(plan.setsDir, plan.key);
  if (existsSync(join(dest, MANIFEST))) {
    // Someone else finished the same build first; theirs is as good as ours.
    await rm(tmp, { recursive: true, force: true });
  } else {
    await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
  }
  progress.emit('work', profile.label, total, total);
  return manifest;
}
