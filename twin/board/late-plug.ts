// Plugs NICs into their root ports once the firmware has numbered the buses. QEMU 7.2's AMD
// IOMMU records a device's requester ID (bus number included) when the device is created; for
// a device created at machine start behind a root port that is bus 0, so all of its DMA is
// translated under 00:00.0. A device created after SeaBIOS wrote the root port's secondary bus
// number gets its real ID (02:00.0). Linux in dom0 then finds it like any device present at boot.
import { sleep } from '../../lib/core/time.ts';
import type { QmpClient } from './qmp.ts';

interface QueryPciDevice {
  qdev_id?: string;
  pci_bridge?: { bus?: { secondary?: number }; devices?: QueryPciDevice[] };
}

/** Secondary bus numbers of the bridges with a qdev id, from QMP query-pci. */
export function secondaryBuses(queryPci: { devices?: QueryPciDevice[] }[]): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (devs: QueryPciDevice[] = []) => {
    for (const d of devs) {
      if (d.qdev_id && d.pci_bridge?.bus?.secondary !== undefined) out.set(d.qdev_id, d.pci_bridge.bus.secondary);
      walk(d.pci_bridge?.devices);
    }
  };
  for (const bus of queryPci) walk(bus.devices);
  return out;
}

export interface LatePlugResult {
  /** ms from the call until the last port was numbered (or until the wait gave up). */
  waitedMs: number;
  numbered: boolean;
}

/**
 * Waits until every target root port has a secondary bus number, then device_adds the NICs.
 * A firmware that never numbers the buses still gets its NICs after timeoutMs (with wrong IDs,
 * as it would have had them at reset), so the board behaves the same either way.
 */
export async function plugAfterEnumeration(
  qmp: QmpClient,
  devices: Record<string, string>[],
  opts: { timeoutMs?: number; pollMs?: number; alive?: () => boolean } = {},
): Promise<LatePlugResult> {
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 60_000);
  let numbered = false;
  while (Date.now() < deadline && (opts.alive?.() ?? true)) {
    const buses = secondaryBuses(await qmp.execute<{ devices?: QueryPciDevice[] }[]>('query-pci'));
    numbered = devices.every((d) => (buses.get(d.bus) ?? 0) > 0);
    if (numbered) break;
    await sleep(opts.pollMs ?? 100);
  }
  const waitedMs = Date.now() - started;
  if (opts.alive?.() ?? true) for (const d of devices) await qmp.execute('device_add', d);
  return { waitedMs, numbered };
}
