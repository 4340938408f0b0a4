// cycle() is the same for every switch: off, stay off long enough for the board's rails to drain
// (the rig's minOffMs; too short and an apu2 keeps its old state), on.
import { step } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import type { PowerSwitch } from './types.ts';

export function cycleWith(sw: PowerSwitch, minOffMs: number): Promise<void> {
  return step('power cycle', { switch: sw.description, minOffMs }, async () => {
    await sw.off();
    await sleep(minOffMs);
    await sw.on();
  });
}
