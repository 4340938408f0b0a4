// The power backends are the files in lib/power/backends/, found when this module loads: a new
// switch is one file there (plus its test), nothing else to register. The rig's `power` section
// is validated by the schema of the backend its `kind` names; the switch it opens runs under the
// one driver (steps, verification, cycle).
import { join } from 'node:path';
import { z } from 'zod';
import { discoverDefinitions } from '../core/discover.ts';
import { isPowerBackend, type OpenDeps, type PowerBackend, type PowerSection } from './backend.ts';
import { PowerDriver } from './driver.ts';
import type { PowerSwitch } from './types.ts';

const found = await discoverDefinitions(join(import.meta.dirname, 'backends'), isPowerBackend, {
  what: 'definePowerBackend(...)',
  nameOf: (b) => b.kind,
  kind: 'power backends',
});

export const powerBackends: ReadonlyMap<string, PowerBackend> = new Map(found.map(({ definition: b }) => [b.kind, b]));

const [first, ...rest] = [...powerBackends.values()].map((b) => b.schema);
if (!first) throw new Error('no power backend in lib/power/backends/');

/** A rig's `power` section: one of the backends' sections, chosen by `kind`. */
export const powerSchema = z.discriminatedUnion('kind', [first, ...rest]) as unknown as z.ZodType<
  PowerConfig,
  PowerConfigInput
>;

/** Every backend's own keys, plus these that all have. */
export type PowerConfig = PowerSection & { timeoutMs?: number } & Record<string, unknown>;
export type PowerConfigInput = { kind: string } & Record<string, unknown>;

export async function openPower(cfg: PowerConfig, deps: OpenDeps = {}): Promise<PowerSwitch> {
  const backend = powerBackends.get(cfg.kind);
  if (!backend) throw new Error(`no power backend "${cfg.kind}" (known: ${[...powerBackends.keys()].join(', ')})`);
  return new PowerDriver(await backend.open(cfg, deps), cfg.minOffMs);
}
