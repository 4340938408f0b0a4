// "The passed-through NIC has link but moves nothing" (the reference post's pfSense "no packets
// received"), decided from the guest's own view: link up and an address, yet no packets
// received or no queue interrupts. Take the outputs after the guest tried to talk (DHCP, ping).
import { guestNicRows } from '../diagnose/rows-guest-nic.ts';
import { diagnose } from '../diagnose/table.ts';
import type { Finding } from '../diagnose/types.ts';
import {
  type NicCounters,
  parseEthtoolStats,
  parseFreebsdIfconfig,
  parseFreebsdNetstat,
  parseFreebsdVmstat,
  parseIpAddr,
  parseIpLink,
  parseProcInterrupts,
  parseSysfsNet,
} from './nic-outputs.ts';

export type GuestOs = 'linux' | 'freebsd' | 'unknown';

export interface NicOutputs {
  ipLink?: string;
  ipAddr?: string;
  sysfs?: string;
  interrupts?: string;
  ethtool?: string;
  ifconfig?: string;
  netstat?: string;
  vmstat?: string;
}

export interface NicTrafficView extends NicCounters {
  ifname: string;
  os: GuestOs;
  interrupts: number | null;
  interruptNames: string[];
}

export interface NoTrafficResult {
  stuck: boolean;
  /** The NIC_NO_TRAFFIC line, or null when the NIC moves traffic or the view is incomplete. */
  summary: string | null;
  finding: Finding | null;
  /** What to try, in order, for this guest's OS. */
  remedies: string[];
  view: NicTrafficView;
}

const FREEBSD = [
  'hw.pci.msix_rewrite_table=1 in /boot/loader.conf.local, then reboot the guest',
  'MSI-X off for the NIC driver: hw.igb.enable_msix=0 (pfSense 2.4) or dev.igb.0.iflib.disable_msix=1 (pfSense 2.5+)',
  'hw.pci.enable_msix=0',
  'hw.pci.enable_msi=0',
];
const LINUX = ['boot the guest kernel with pci=nomsi (legacy INTx instead of MSI/MSI-X)'];
const IOMMU = "check that the IOMMU translates the device's DMA: iommu-lab run --suite dma-isolation";

/** Merge what each output says; the first source that knows a field wins. */
export function nicTrafficView(ifname: string, os: GuestOs, o: NicOutputs): NicTrafficView {
  const sources: Partial<NicCounters>[] = [];
  if (o.ipLink) sources.push(parseIpLink(o.ipLink, ifname));
  if (o.sysfs) sources.push(parseSysfsNet(o.sysfs, ifname));
  if (o.ethtool) {
    const s = parseEthtoolStats(o.ethtool);
    sources.push({ rxPackets: s.rx_packets ?? null, txPackets: s.tx_packets ?? null });
  }
  if (o.ifconfig) sources.push(parseFreebsdIfconfig(o.ifconfig, ifname));
  if (o.netstat) sources.push(parseFreebsdNetstat(o.netstat, ifname));
  const pick = <K extends keyof NicCounters>(k: K) =>
    sources.map((s) => s[k]).find((v) => v !== null && v !== undefined) ?? null;
  const addresses = [...(o.ipAddr ? parseIpAddr(o.ipAddr, ifname) : []), ...sources.flatMap((s) => s.addresses ?? [])];
  const irq =
    (o.interrupts && parseProcInterrupts(o.interrupts, ifname)) ||
    (o.vmstat && parseFreebsdVmstat(o.vmstat, ifname)) ||
    null;
  return {
    ifname,
    os,
    linkUp: pick('linkUp') as boolean | null,
    addresses: [...new Set(addresses)],
    rxPackets: pick('rxPackets') as number | null,
    txPackets: pick('txPackets') as number | null,
    interrupts: irq ? irq.total : null,
    interruptNames: irq ? irq.names : [],
  };
}

export function diagnoseNoTraffic(view: NicTrafficView): NoTrafficResult {
  const remedies = [...(view.os === 'linux' ? [] : FREEBSD), ...(view.os === 'freebsd' ? [] : LINUX), IOMMU];
  const stuck = view.linkUp === true && view.addresses.length > 0 && (view.rxPackets === 0 || view.interrupts === 0);
  if (!stuck) return { stuck, summary: null, finding: null, remedies, view };
  const what = [
    view.rxPackets !== null ? `received ${view.rxPackets} packets` : null,
    view.txPackets !== null ? `sent ${view.txPackets}` : null,
    view.interrupts !== null ? `${view.interrupts} queue interrupts (${view.interruptNames.join(', ')})` : null,
  ].filter(Boolean);
  const summary = `NIC_NO_TRAFFIC: ${view.ifname} (${view.os}) has link and address ${view.addresses[0]} but ${what.join(', ')}`;
  return { stuck, summary, finding: diagnose(summary, guestNicRows)[0] ?? null, remedies, view };
}
