// Bare twin boot: relay on → banner → SeaBIOS → iPXE → Xen → dom0 ready, over the twin's own
// endpoints only (no iommu-lab session). Needs `iommu-lab twin setup` (images) first.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { holdTwinBench, twinUpWhenFree } from '../twin/bench-lock.ts';
import { buildTwinFirmware } from '../twin/firmware/build.ts';
import { ensureImages } from '../twin/images.ts';
import { twinDown, twinStatus } from '../twin/manage.ts';
import { BOOT_MARKS, measureBareBoot } from '../twin/measure-boot.ts';
import { twinPaths } from '../twin/paths.ts';

export async function run(): Promise<void> {
  const t0 = performance.now();
  await ensureImages();
  console.log(`twin images ready (cached) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const lock = await holdTwinBench();
  const wasUp = twinStatus().running;
  if (wasUp && twinStatus().relay === 'on') throw new Error('the twin is powered on: power it off first');
  // The chip holds whatever was flashed last: keep it and boot a known-good image.
  const saved = existsSync(twinPaths.flashImage) ? readFileSync(twinPaths.flashImage) : undefined;
  await buildTwinFirmware({ out: twinPaths.flashImage, iommu: true, pxe: true });
  const t1 = performance.now();
  if (!wasUp) await twinUpWhenFree();
  console.log(`twin up in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  try {
    const marks = await measureBareBoot();
    for (const [name] of BOOT_MARKS)
      if (name in marks) console.log(`  power-on → ${name.padEnd(7)} ${(marks[name] / 1000).toFixed(1).padStart(6)} s`);
  } finally {
    if (!wasUp) await twinDown();
    if (saved) writeFileSync(twinPaths.flashImage, saved);
    await lock.release();
  }
  console.log('reproduce: npm run bench -- twin-boot');
}
