// The power backends are the files in lib/power/backends/, found when this module loads: a new
// switch is one file there (plus its test), nothing else to register. The rig's `power` section
// is validated by the schema of the backend its `kind` names; the switch it opens runs under the
// one driver (steps, verification, cycle).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { isPowerBackend, type OpenDeps, type PowerBackend, type PowerSection } from './backend.ts';
import { PowerDriver } from './driver.ts';
import type { PowerSwitch } from './types.ts';

const DIR = join(import.meta.dirname, 'backends');

async function discover(): Promise<Map<string, PowerBackend>> {
  const found = new Map<string, PowerBackend>();
  for (const f of readdirSync(DIR)
    .filter((n) => n.endsWith('.ts'))
    .sort()) {
    const b = ((await import(pathToFileURL(join(DIR, f)).href)) as { default?: unknown }).default;
    if (!isPowerBackend(b)) throw new Error(`lib/power/backends/${f}: does not export default definePowerBackend(...)`);
    if (found.has(b.kind)) throw new Error(`two power backends are kind "${b.kind}"`);
    found.set(b.kind, b);
  }
  return found;
}

export const powerBackends: ReadonlyMap<string, PowerBackend> = await discover();

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
