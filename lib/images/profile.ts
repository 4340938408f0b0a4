// What differs between the image sets one builder makes: the twin's (slirp's fixed addresses,
// the twin's own keys, its boot/ layout) and a real bench's (its rig's dom0 NIC and addressing, the
// rig's SSH key, the file names its boot.server serves). Everything else is the same code.
import type { Compression } from './cpio.ts';

/** A fixed IPv4 address with its prefix, and the default route if there is one. */
export interface StaticAddress {
  cidr: string;
  gateway?: string;
}

/**
 * How an interface gets its address: fixed, or by DHCP (busybox udhcpc), optionally falling
 * back to a fixed one when no lease comes.
 */
export type Addressing = ({ kind: 'static' } & StaticAddress) | { kind: 'dhcp'; fallback?: StaticAddress };

export interface ImageKeys {
  /** authorized_keys for root on dom0 and the PV guest, as written (OpenSSH public key lines). */
  authorizedKeys: string;
  /** OpenSSH private host keys, converted to dropbear's format into the images. */
  dom0HostKey: string;
  guestHostKey: string;
}

/** Where each output lands, relative to the image set's folder. */
export interface ImageLayout {
  xen: string;
  dom0Kernel: string;
  dom0Initrd: string;
  guestInitrd: string;
}

export interface ImageProfile {
  flavour: 'twin' | 'bench';
  /** Prefix of progress lines and messages: "twin images", "apu2-rte images". */
  label: string;
  /** dom0's network: the NIC by full PCI address (names depend on probe order), and its address. */
  dom0: { nicPci: string; address: Addressing };
  /** The PV guest's passed-through NIC (the first with a device) and its address. */
  guest: { address: Addressing };
  keys: ImageKeys;
  dom0Compression: Compression;
  layout: ImageLayout;
}

/** `01:00.0` → `0000:01:00.0`, as sysfs names PCI devices. */
export function fullPci(bdf: string): string {
  return /^[0-9a-f]{4}:/i.test(bdf) ? bdf.toLowerCase() : `0000:${bdf.toLowerCase()}`;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const validIp = (s: string): boolean => {
  const m = IPV4.exec(s);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
};

/** Values end up in a shell file sourced by /init: only what an address can contain. */
function checkStatic(a: StaticAddress, what: string): void {
  const [ip, prefix, ...rest] = a.cidr.split('/');
  if (!validIp(ip) || rest.length || !/^\d{1,2}$/.test(prefix ?? '') || Number(prefix) > 32)
    throw new Error(`${what}: ${a.cidr} is not an IPv4 address with a prefix, like 192.168.10.201/24`);
  if (a.gateway !== undefined && !validIp(a.gateway)) throw new Error(`${what}: gateway ${a.gateway} is not IPv4`);
}

/**
 * The shell variables /init sources (/etc/iommu-lab/<name>-network): the init scripts are the
 * same files for every flavour, only this changes.
 */
export function renderNetworkConfig(address: Addressing, nicPci?: string): string {
  const lines: string[] = [];
  if (nicPci !== undefined) {
    if (!/^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$/.test(nicPci)) throw new Error(`bad PCI address ${nicPci}`);
    lines.push(`NIC_PCI=${nicPci}`);
  }
  const fixed = address.kind === 'static' ? address : address.fallback;
  if (fixed) checkStatic(fixed, address.kind === 'static' ? 'static address' : 'DHCP fallback');
  lines.push(`MODE=${address.kind}`);
  lines.push(`CIDR=${fixed?.cidr ?? ''}`);
  lines.push(`GATEWAY=${fixed?.gateway ?? ''}`);
  return `${lines.join('\n')}\n`;
}

/** What a profile bakes into the images, for the cache key (the keys' public halves go separately). */
export function profileDigestInput(p: ImageProfile): string {
  return JSON.stringify({
    flavour: p.flavour,
    dom0: renderNetworkConfig(p.dom0.address, p.dom0.nicPci),
    guest: renderNetworkConfig(p.guest.address),
    compression: p.dom0Compression,
    layout: p.layout,
  });
}
