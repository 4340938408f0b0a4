// Builds one complete image set into a temporary folder and renames it into place, so an
// interrupted build never looks complete. Each step is timed for the setup report.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { check } from '../../lib/core/exec.ts';
import { progress } from '../../lib/core/progress.ts';
import { shq } from '../../lib/core/quote.ts';
import { aptSourcesFor, downloadAndExtract } from './apt.ts';
import { type Compression, packCpio } from './cpio.ts';
import { bootstrapDom0, customizeDom0 } from './dom0.ts';
import { buildGuestInitrd } from './guest.ts';
import { renderIpxeScript, TFTP_FILES } from './ipxe.ts';
import type { TwinKeys } from './keys.ts';
import { MANIFEST, type Manifest } from './manifest.ts';

export interface BuildPlan {
  key: string;
  /** .cache/twin/images */
  root: string;
  suite: string;
  xenPackage: string;
  kernelPackage: string;
  kernelVersion: string;
  versions: Record<string, string>;
  keys: TwinKeys;
  dom0Compression: Compression;
}

export async function buildImages(plan: BuildPlan): Promise<Manifest> {
  const tmp = join(plan.root, `.tmp-${plan.key}-${process.pid}`);
  const work = join(tmp, 'work');
  const tftp = join(tmp, 'tftp');
  const steps: Record<string, number> = {};
  const total = 6;
  let done = 0;
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    progress.emit('work', `twin images: ${name}`, done, total);
    const t0 = performance.now();
    const v = await fn();
    steps[name] = Math.round(performance.now() - t0);
    progress.emit('info', `twin images: ${name} (${(steps[name] / 1000).toFixed(1)} s)`);
    done++;
    return v;
  };
  const started = performance.now();
  await rm(tmp, { recursive: true, force: true });
  for (const d of [join(work, 'debs'), join(work, 'pkgs'), tftp, join(tmp, 'guest')])
    await mkdir(d, { recursive: true });
  const pkgs = join(work, 'pkgs');

  await step('download xen, kernel, busybox', () =>
    downloadAndExtract([plan.xenPackage, plan.kernelPackage, 'busybox-static'], join(work, 'debs'), pkgs),
  );
  // iPXE and QEMU's -kernel load a plain multiboot ELF, not Debian's gzipped one.
  await check([
    'sh',
    '-c',
    `gunzip -c ${shq(join(pkgs, 'boot', 'xen-4.17-amd64.gz'))} > ${shq(join(tftp, TFTP_FILES.xen))}`,
  ]);
  await copyFile(join(pkgs, 'boot', `vmlinuz-${plan.kernelVersion}`), join(tftp, TFTP_FILES.kernel));

  const rootfs = join(work, 'rootfs');
  await step('dom0 rootfs (mmdebstrap)', async () => {
    const sources = join(work, 'sources.list');
    await writeFile(sources, await aptSourcesFor(plan.suite));
    await bootstrapDom0(rootfs, plan.suite, sources);
  });
  const guestInitrd = join(tmp, 'guest', 'initrd.gz');
  await step('guest initramfs', () =>
    buildGuestInitrd(join(work, 'guest-root'), guestInitrd, {
      rootfs,
      kernelRoot: pkgs,
      kernelVersion: plan.kernelVersion,
      busybox: join(pkgs, 'bin', 'busybox'),
      keys: plan.keys,
    }),
  );
  await step('dom0 customize', () =>
    customizeDom0(rootfs, {
      kernelRoot: pkgs,
      kernelVersion: plan.kernelVersion,
      keys: plan.keys,
      guestKernel: join(tftp, TFTP_FILES.kernel),
      guestInitrd,
    }),
  );
  await step(`dom0 initramfs (${plan.dom0Compression})`, () =>
    packCpio(rootfs, join(tftp, TFTP_FILES.initrd), plan.dom0Compression),
  );
  await writeFile(join(tftp, TFTP_FILES.script), renderIpxeScript());
  await step('clean up', () => rm(work, { recursive: true, force: true }));

  const sizes: Record<string, number> = {};
  for (const f of Object.values(TFTP_FILES)) sizes[`tftp/${f}`] = (await stat(join(tftp, f))).size;
  sizes['guest/initrd.gz'] = (await stat(guestInitrd)).size;
  const manifest: Manifest = {
    key: plan.key,
    builtAt: new Date().toISOString(),
    versions: plan.versions,
    kernelVersion: plan.kernelVersion,
    xenPackageVersion: plan.versions[plan.xenPackage],
    dom0Compression: plan.dom0Compression,
    buildMs: Math.round(performance.now() - started),
    stepsMs: steps,
    sizes,
  };
  // Written last and inside the temp folder: a folder without it is never used.
  await writeFile(join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const dest = join(plan.root, plan.key);
  if (existsSync(join(dest, MANIFEST))) {
    // Someone else finished the same build first; theirs is as good as ours.
    await rm(tmp, { recursive: true, force: true });
  } else {
    await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
  }
  progress.emit('work', 'twin images', total, total);
  return manifest;
}
