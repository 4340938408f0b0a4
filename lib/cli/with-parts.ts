// For one-shot commands (power, console, flash): take the bench lock, open what is needed,
// and release everything on every exit path, Ctrl-C included.
import { step } from '../core/step.ts';
import type { BenchLock } from '../lock/types.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { Rig } from '../rig/schema.ts';
import { type PartFactories, realParts } from '../session/parts.ts';
import { onShutdown } from '../session/shutdown.ts';
import { TeardownStack } from '../session/teardown.ts';

export interface LockedBench {
  rig: Rig;
  teardown: TeardownStack;
  controller(): Promise<RemoteShell>;
}

export async function withLockedBench<T>(
  rig: Rig,
  body: (b: LockedBench) => Promise<T>,
  parts: PartFactories = realParts,
): Promise<T> {
  const teardown = new TeardownStack();
  const remove = onShutdown(() => teardown.run());
  let controller: RemoteShell | undefined;
  const bench: LockedBench = {
    rig,
    teardown,
    async controller() {
      const target = rig.flasher?.controller;
      if (!target) throw new Error(`rig ${rig.name} has no bench controller`);
      if (!controller) {
        const c = await parts.remote(target, 'bench controller');
        controller = c;
        teardown.push('close controller SSH', () => c.close());
      }
      return controller;
    },
  };
  try {
    if (rig.twin?.autoStart) await parts.ensureTwin();
    const lock: BenchLock = await parts.lock(rig, { controller: () => bench.controller() });
    await step('lock bench', { rig: rig.name }, () => lock.acquire());
    teardown.push('release lock', () => lock.release());
    return await body(bench);
  } finally {
    await teardown.run();
    remove();
  }
}
