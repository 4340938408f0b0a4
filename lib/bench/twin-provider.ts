// The QEMU twin as a bench provider: the only module in lib/ that knows the twin exists.
import { loadRigWithInput, validateRig } from '../rig/load.ts';
import { resolveRigSecrets } from '../rig/rig-secrets.ts';
import type { Rig } from '../rig/schema.ts';
import { defineBenchProvider, type OutsideView } from './provider.ts';

/**
 * `run --rig <rig> --twin`: the rig with its endpoints and the emulator's documented limits
 * replaced (twin/rig/overlay.ts). The rig is validated as itself first, so its own mistakes are
 * reported against its own file.
 */
export async function twinRigOf(nameOrPath: string): Promise<Rig> {
  const { input, shown } = await loadRigWithInput(nameOrPath);
  const { twinOf } = await import('../../twin/index.ts');
  const rig = validateRig(twinOf(input), `${shown} (--twin)`);
  await resolveRigSecrets(rig);
  return rig;
}

// The twin starts everything a run on it needs (power API, serial, controller, iperf3 peer), and
// builds (or finds) the image set the rig's boot server serves: Xen 4.17's or 4.20's.
export async function ensureUp(rig?: Rig): Promise<void> {
  const { ensureTwinUp, releaseServedFrom } = await import('../../twin/index.ts');
  await ensureTwinUp(releaseServedFrom(rig?.boot.server?.root));
}

/** QEMU's view of the board's memory, through the twin daemon (twin/observe/). */
export const outsideView: OutsideView = {
  observer: 'QEMU',
  async readMachineMemory(address, length) {
    const { readTwinMemory } = await import('../../twin/index.ts');
    return readTwinMemory(address, length);
  },
};

export default defineBenchProvider({ name: 'twin', ensureUp, outsideView });
