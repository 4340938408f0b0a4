// The QEMU twin as a bench provider: the only module in lib/ that knows the twin exists.
import type { OutsideView } from './provider.ts';

// The twin starts everything a run on it needs (power API, serial, controller, iperf3 peer).
export async function ensureUp(): Promise<void> {
  const { ensureTwinUp } = await import('../../twin/index.ts');
  await ensureTwinUp();
}

/** QEMU's view of the board's memory, through the twin daemon (twin/observe/). */
export const outsideView: OutsideView = {
  observer: 'QEMU',
  async readMachineMemory(address, length) {
    const { readTwinMemory } = await import('../../twin/observe/client.ts');
    return readTwinMemory(address, length);
  },
};
