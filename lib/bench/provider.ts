// Some benches are made of software (the QEMU twin). A rig names its provider (`provider: "x"`)
// and the session makes sure it is up before taking the bench's lock. A provider is one file,
// `lib/bench/<name>-provider.ts`, loaded by name: nothing else in lib/ knows what it provides.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

export function providerFile(name: string): string {
  return join(import.meta.dirname, `${name}-provider.ts`);
}

export function providerExists(name: string): boolean {
  return PROVIDER_NAME.test(name) && existsSync(providerFile(name));
}

export async function loadProvider(name: string): Promise<BenchProvider> {
  if (!providerExists(name))
    throw new UsageError(`rig names provider "${name}", but there is no ${providerFile(name)}`);
  const mod = (await import(providerFile(name))) as Partial<BenchProvider>;
  if (typeof mod.ensureUp !== 'function') throw new Error(`bench provider "${name}" exports no ensureUp()`);
  return { ensureUp: mod.ensureUp, outsideView: mod.outsideView };
}
