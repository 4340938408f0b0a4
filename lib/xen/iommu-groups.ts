// IOMMU groups as listed on plain Linux, either the common shell loop output
//   IOMMU Group 1 01:00.0 Ethernet controller [0200]: Intel Corporation I210 ... [8086:157b] (rev 03)
// or `find /sys/kernel/iommu_groups/ -type l`:
//   /sys/kernel/iommu_groups/1/devices/0000:01:00.0
// All apu2 NICs in one group is a known firmware (IVRS) bug: they cannot be split between guests.
import { cleanLine } from '../core/text.ts';
import { normalizeBdf } from './bdf.ts';

export interface IommuGroupDevice {
  group: number;
  bdf: string;
  classId: string | null;
}

export function parseIommuGroups(text: string): IommuGroupDevice[] {
  const out: IommuGroupDevice[] = [];
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const l = cleanLine(raw).trim();
    let m = /^IOMMU Group (\d+):? ((?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])(?: .*?\[([0-9a-f]{4})\]:)?/i.exec(
      l,
    );
    m ??= /\/sys\/kernel\/iommu_groups\/(\d+)\/devices\/([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])/i.exec(l);
    const bdf = m ? normalizeBdf(m[2]) : null;
    if (!m || !bdf) continue;
    out.push({ group: Number(m[1]), bdf, classId: m[3]?.toLowerCase() ?? null });
  }
  return out;
}

/** Groups holding more than one of the given devices (e.g. the NICs meant for different guests). */
export function sharedGroups(devices: IommuGroupDevice[], bdfs: string[]): Record<number, string[]> {
  const byGroup: Record<number, string[]> = {};
  for (const d of devices) {
    if (!bdfs.includes(d.bdf)) continue;
    byGroup[d.group] ??= [];
    byGroup[d.group].push(d.bdf);
  }
  for (const g of Object.keys(byGroup)) if (byGroup[+g].length < 2) delete byGroup[+g];
  return byGroup;
}
