// Some benches are made of software (the QEMU twin). A rig names its provider (`provider: "x"`)
// and the session makes sure it is up before taking the bench's lock. A provider is one file,
// `lib/bench/<name>-provider.ts` exporting `defineBenchProvider({ name, … })`, found by being
// there (lib/core/discover.ts): nothing else in lib/ knows what it provides.
import { discoverDefinitions } from '../core/discover.ts';
import { UsageError } from '../core/errors.ts';
import type { Rig } from '../rig/schema.ts';

/**
 * What a software bench can see of the board from outside it (the twin: QEMU). An oracle no real
 * bench has: the board's own account (dom0) is checked against it where it exists.
 */
export interface OutsideView {
  /** Who looks, as the evidence names it ("QEMU"). */
  observer: string;
  /** The board's physical memory; under Xen, machine addresses. */
  readMachineMemory(address: bigint, length: number): Promise<Buffer>;
}

export interface BenchProvider {
  /** Starts the bench's services if they are down (for this rig: the twin builds the images it serves); quick when they are up. */
  ensureUp(rig?: Rig): Promise<void>;
  outsideView?: OutsideView;
}

export const PROVIDER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const BRAND = Symbol.for('iommu-lab.benchProvider');

export interface BenchProviderDefinition extends BenchProvider {
  /** What a rig's `provider` says; the file is `<name>-provider.ts`. */
  name: string;
}

export function defineBenchProvider(d: BenchProviderDefinition): BenchProviderDefinition {
  if (!PROVIDER_NAME.test(d.name))
    throw new Error(`bench provider name "${d.name}": lower-case letters, digits, dashes`);
  return Object.assign(d, { [BRAND]: true });
}

export function isBenchProvider(v: unknown): v is BenchProviderDefinition {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}

let providers: Promise<Map<string, BenchProviderDefinition>> | undefined;

/** Every provider in lib/bench/, found on first use (a run on a real bench never needs one). */
export function benchProviders(): Promise<Map<string, BenchProviderDefinition>> {
  providers ??= discoverDefinitions(import.meta.dirname, isBenchProvider, {
    what: 'defineBenchProvider(...)',
    suffix: '-provider.ts',
    nameOf: (p) => p.name,
    kind: 'bench providers',
  }).then((found) => new Map(found.map(({ definition: p }) => [p.name, p])));
  return providers;
}

export async function loadProvider(name: string): Promise<BenchProvider> {
  const found = await benchProviders();
  const p = found.get(name);
  if (!p)
    throw new UsageError(
      `rig names provider "${name}", but lib/bench/ has none (providers: ${[...found.keys()].join(', ')})`,
    );
  return { ensureUp: p.ensureUp, outsideView: p.outsideView };
}
