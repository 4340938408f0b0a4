// `iommu-lab health`: can this bench boot a known-good image to dom0 with AMD-Vi enabled?
// Writes the known-good image back (when there is one), boots, and records good or bad beside
// the lease. A run or a bisect that found the bench needing a human marks it bad; this is how
// it comes back into service.
import { existsSync } from 'node:fs';
import { sessionFlasher } from '../../flash/flasher/part.ts';
import { knownGoodPath } from '../../flash/supply/known-good.ts';
import { BootStrategy } from '../boot/strategy.ts';
import { errorMessage } from '../core/errors.ts';
import type { Rig } from '../rig/schema.ts';
import { powerOffAtEnd } from '../session/end-power.ts';
import { markHealth } from '../session/health-gate.ts';
import type { PartFactories } from '../session/parts.ts';
import { Session } from '../session/session.ts';
import { parseXenLog } from '../xen/xen-log.ts';

export interface HealthVerdict {
  state: 'good' | 'bad';
  why: string;
  where: string;
  restoredKnownGood: boolean;
}

export async function checkHealth(rig: Rig, transcriptPath: string, parts?: PartFactories): Promise<HealthVerdict> {
  const s = new Session(rig, {
    open: ['power', 'console'],
    transcriptPath,
    serveBoot: true,
    parts,
  });
  let verdict: HealthVerdict | undefined;
  try {
    await s.start();
    powerOffAtEnd(s);
    const restoredKnownGood = Boolean(rig.flasher) && existsSync(knownGoodPath(rig.name));
    let why: string;
    let state: 'good' | 'bad';
    try {
      if (restoredKnownGood) await (await sessionFlasher(s)).restoreKnownGood();
      const boot = new BootStrategy(s);
      await boot.to('dom0');
      const iommu = parseXenLog(boot.record.xenLog).iommu;
      state = iommu === 'enabled' ? 'good' : 'bad';
      why = `${restoredKnownGood ? 'known-good image' : 'the image on the chip'} booted to dom0, AMD-Vi ${iommu}`;
    } catch (e) {
      state = 'bad';
      why = `${restoredKnownGood ? 'known-good image' : 'the image on the chip'} did not boot to dom0: ${errorMessage(e).split('\n')[0]}`;
    }
    await markHealth(s, state, why);
    verdict = { state, why, where: 'beside the bench lock', restoredKnownGood };
  } finally {
    const failures = await s.close();
    if (verdict && failures.length)
      verdict = { ...verdict, state: 'bad', why: `${verdict.why}; teardown: ${failures.join('; ')}` };
  }
  return verdict;
}
