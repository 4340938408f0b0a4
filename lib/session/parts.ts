// The factories a session uses to open parts; tests may pass their own that register exactly
// like these (same interfaces), while the real ones are tested against real servers.
import { type BenchProvider, loadProvider } from '../bench/provider.ts';
import { type OpenConsoleOptions, openConsole } from '../console/open.ts';
import type { Console } from '../console/types.ts';
import { openLock } from '../lock/open.ts';
import type { BenchLock } from '../lock/types.ts';
import { openPower } from '../power/open.ts';
import type { PowerSwitch } from '../power/types.ts';
import { openRemote } from '../remote/ssh.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { ConsoleConfig, PowerConfig, Rig, SshTarget } from '../rig/schema.ts';

export interface PartFactories {
  /** Brings up a software bench (the rig's `provider`) before anything else is opened. */
  provider(name: string, rig?: Rig): Promise<BenchProvider>;
  lock(rig: Rig, deps: { controller: () => Promise<RemoteShell> }): Promise<BenchLock>;
  power(cfg: PowerConfig): Promise<PowerSwitch>;
  console(cfg: ConsoleConfig, opts: OpenConsoleOptions): Promise<Console>;
  remote(target: SshTarget, what: string): Promise<RemoteShell>;
}

export const realParts: PartFactories = {
  provider: async (name, rig) => {
    const p = await loadProvider(name);
    await p.ensureUp(rig);
    return p;
  },
  // Only an SSH lock needs the bench controller: a local bench never opens it.
  lock: async (rig, deps) => openLock(rig, rig.lock.kind === 'ssh' ? { controller: await deps.controller() } : {}),
  power: (cfg) => openPower(cfg),
  console: (cfg, opts) => openConsole(cfg, opts),
  remote: (target, what) => openRemote(target, what),
};
