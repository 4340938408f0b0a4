// The twin in one run: image set-up cold and cached, then power-on → dom0 answering `xl info`
// through iommu-lab (session + boot state machine) against the bare twin boot to the same
// marker, timed over the twin's own endpoints only. Goal: iommu-lab ≤ 1.10× bare.
// BENCH_TWIN_COLD=0 skips the cold rebuild (~1–3 min).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootStrategy } from '../lib/boot/strategy.ts';
import { runDirPaths } from '../lib/report/run-dir-layout.ts';
import { loadRig } from '../lib/rig/load.ts';
import { powerOffAtEnd } from '../lib/session/end-power.ts';
import { Session } from '../lib/session/session.ts';
import {
  BOOT_MARKS,
  buildTwinFirmware,
  ensureTwinImages,
  holdTwinBench,
  measureBareBoot,
  twinDown,
  twinPaths,
  twinStatus,
  twinUpWhenFree,
} from '../twin/index.ts';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function viaIommuLab(): Promise<number> {
  const rig = await loadRig('apu2-twin');
  const session = await Session.open(rig, {
    open: ['power', 'console'],
    transcriptPath: runDirPaths(mkdtempSync(join(tmpdir(), 'bench-twin-'))).transcript,
  });
  powerOffAtEnd(session);
  try {
    const boot = new BootStrategy(session);
    await boot.to('off');
    await boot.to('dom0');
    return boot.record.timings.reduce((a, t) => a + t.ms, 0);
  } finally {
    await session.close();
  }
}

export async function run(): Promise<void> {
  if (process.env.BENCH_TWIN_COLD !== '0') {
    const cold = await ensureTwinImages({ force: true });
    console.log(`twin images, cold build: ${s(cold.elapsedMs)}`);
  }
  const cached = await ensureTwinImages();
  console.log(`twin images, cached:     ${s(cached.elapsedMs)} (rebuilt: ${cached.built})`);
  const wasUp = twinStatus().running;
  if (wasUp && twinStatus().relay === 'on') throw new Error('the twin is powered on: power it off first');
  // The chip holds whatever was flashed last: keep it and boot a healthy image.
  const saved = existsSync(twinPaths.flashImage) ? readFileSync(twinPaths.flashImage) : undefined;
  await buildTwinFirmware({ out: twinPaths.flashImage, iommu: true, pxe: true });
  try {
    const lab = await viaIommuLab();
    const lock = await holdTwinBench();
    let bare: Record<string, number>;
    try {
      if (!twinStatus().running) await twinUpWhenFree();
      bare = await measureBareBoot(600_000, 'dom0', true);
    } finally {
      await lock.release();
    }
    for (const [name] of [...BOOT_MARKS, ['xl-info']])
      if (name in bare) console.log(`  bare power-on → ${name.padEnd(7)} ${s(bare[name]!).padStart(8)}`);
    console.log(`power-on → dom0 answers xl info: iommu-lab ${s(lab)}, bare ${s(bare['xl-info']!)}`);
    console.log(`ratio iommu-lab / bare: ${(lab / bare['xl-info']!).toFixed(3)} (goal ≤ 1.10)`);
  } finally {
    if (!wasUp) await twinDown();
    if (saved) writeFileSync(twinPaths.flashImage, saved);
  }
  console.log('reproduce: npm run bench -- twin-boot   (BENCH_TWIN_COLD=0 to skip the cold build)');
}
