// The facts of one input, from every parser whose kind was detected. The five headline
// facts are always present (null/unknown when the input does not say).

import type { Line } from '../core/text.ts';
import { parseFirmwareLog } from '../firmware/banner.ts';
import { parseIperf3 } from '../net/iperf3.ts';
import { parseDom0Dmesg } from '../xen/dom0-dmesg.ts';
import { parseIommuGroups } from '../xen/iommu-groups.ts';
import { parseLspci } from '../xen/lspci.ts';
import { parseXenLog } from '../xen/xen-log.ts';
import { parseXlInfo } from '../xen/xl-info.ts';
import { parseXlList } from '../xen/xl-list.ts';
import { parseXlPciList } from '../xen/xl-pci.ts';
import type { Kind } from './detect.ts';
import { extractJsonObject } from './json-object.ts';

export interface Facts {
  xenVersion: string | null;
  iommu: 'enabled' | 'disabled' | 'unknown';
  interruptRemapping: boolean | null;
  ivrs: boolean | null;
  firmwareVersion: string | null;
  [more: string]: unknown;
}

export function collectFacts(kinds: Kind[], lines: Line[], text: string): Facts {
  const has = (k: Kind) => kinds.includes(k);
  const f: Facts = { xenVersion: null, iommu: 'unknown', interruptRemapping: null, ivrs: null, firmwareVersion: null };
  if (has('coreboot-log') || has('seabios') || has('firmware-setup')) {
    const fw = parseFirmwareLog(lines);
    Object.assign(f, { firmwareVersion: fw.version, ivrs: fw.ivrs, firmware: fw });
  }
  if (has('xen-log')) {
    const x = parseXenLog(lines);
    f.xenVersion = x.xenVersion;
    f.iommu = x.iommu;
    f.interruptRemapping = x.interruptRemapping;
    // What Xen found in the ACPI tables outranks what the firmware log claims it wrote.
    if (x.ivrs !== null) f.ivrs = x.ivrs;
    f.iommuCount = x.iommuCount;
    f.xen = x;
  }
  if (has('dom0-dmesg')) f.dom0 = parseDom0Dmesg(lines);
  const plain = () => lines.map((l) => l.text).join('\n');
  if (has('xl-info')) {
    const info = parseXlInfo(plain());
    f.xenVersion ??= info.xenVersion;
    f.xlInfo = info;
  }
  if (has('xl-list')) f.domains = parseXlList(plain());
  if (has('xl-pci-list')) f.pciList = parseXlPciList(plain());
  if (has('lspci')) f.pciDevices = parseLspci(plain());
  if (has('iommu-groups')) f.iommuGroups = parseIommuGroups(plain());
  if (has('iperf3')) {
    const json = extractJsonObject(text);
    if (json) f.iperf3 = parseIperf3(json);
  }
  return f;
}
