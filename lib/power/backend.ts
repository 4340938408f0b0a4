// A power backend is what differs between switches: its rig section (a zod object with a literal
// `kind`) and two functions, set and get (labgrid's network power backends are the model). Steps,
// verification after a switch and the power cycle are added once, by lib/power/driver.ts.
// A backend is one file in lib/power/backends/ exporting `default definePowerBackend(...)`.
import type { z } from 'zod';
import type { PowerState } from './types.ts';

export interface BackendSwitch {
  readonly description: string;
  /** May resolve to the state the switch reported in its answer: then no separate get() follows. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a backend that learns nothing from the switch returns nothing
  set(on: boolean): Promise<PowerState | undefined | void>;
  /** 'unknown' when the switch cannot tell (the driver then does not verify). */
  get(): Promise<PowerState>;
  /** A reset button, where the bench wires one; the driver falls back to a power cycle. */
  reset?(): Promise<void>;
  /** The board's power button, held holdMs, where the bench wires one. */
  powerButton?(holdMs: number): Promise<void>;
  close?(): Promise<void>;
}

/** Every backend's rig section has these besides its own keys. */
export interface PowerSection {
  kind: string;
  minOffMs: number;
}

export interface OpenDeps {
  /** For the manual switch: where to ask the engineer (tests give their own streams). */
  manualIo?: Record<string, unknown>;
}

export interface PowerBackend<C extends PowerSection = PowerSection> {
  readonly kind: string;
  readonly schema: z.ZodObject;
  open(cfg: C, deps: OpenDeps): BackendSwitch | Promise<BackendSwitch>;
}

const BRAND = Symbol.for('iommu-lab.power-backend');

export function definePowerBackend<S extends z.ZodObject>(
  schema: S,
  open: (cfg: z.output<S>, deps: OpenDeps) => BackendSwitch | Promise<BackendSwitch>,
): PowerBackend {
  const kind = (schema.shape as { kind?: { value?: unknown } }).kind?.value;
  if (typeof kind !== 'string') throw new Error('a power backend schema needs kind: z.literal("…")');
  return Object.assign({ kind, schema, open: open as unknown as PowerBackend['open'] }, { [BRAND]: true });
}

export function isPowerBackend(v: unknown): v is PowerBackend {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}
