// AMD-Vi IO_PAGE_FAULT events as Xen and Linux print them, with the device they name.
// - Xen <= 4.13 (xen/drivers/passthrough/amd/iommu_init.c parse_event_log_entry):
//   "AMD-Vi: IO_PAGE_FAULT: domain = 0, device id = 0xa1, fault address = 0xbf695000, flags = 0x10"
//   The device id is the requester ID (bus << 8 | devfn), printed with %#x (so 0 prints "0").
// - Xen >= 4.14 (commit 680d18763a "Render IO_PAGE_FAULT errors in a more useful manner"; 4.15
//   switched to %pp, same text): "AMD-Vi: IO_PAGE_FAULT: 0000:00:14.1 d0 addr 00000000bf5fc000 flags 0x10 PR"
// - Linux amd_iommu (bare metal, or a dom0 kernel driving the IOMMU itself), old and new:
//   "AMD-Vi: Event logged [IO_PAGE_FAULT device=04:00.0 domain=0x0002 address=0x... flags=0x0070]"
//   "ath10k_pci 0000:01:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x000d address=0x... flags=0x0070]"
// The domain is the IOMMU domain id Xen put in the device table entry: the owning domain's id,
// 32753 (DOMID_IO) for a quarantined device.
import { type Line, toLines, xenMessage } from '../core/text.ts';
import { normalizeBdf } from './bdf.ts';

export type FaultFormat = 'xen-4.8' | 'xen-4.14' | 'linux';

export interface IoPageFault {
  format: FaultFormat;
  /** Full lower-case BDF of the requester, null when the line does not say. */
  bdf: string | null;
  domain: number | null;
  /** The faulting DMA address, "0x" and lower-case hex without leading zeros. */
  address: string;
  flags: number;
  line: number;
  text: string;
}

const XEN_OLD =
  /AMD-Vi: IO_PAGE_FAULT: domain = (\d+), device id = (0x[0-9a-f]+|0), fault address = (0x[0-9a-f]+|0), flags = (0x[0-9a-f]+|0)/i;
const XEN_NEW =
  /AMD-Vi: IO_PAGE_FAULT: ([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) d(\d+) addr ([0-9a-f]+) flags (0x[0-9a-f]+|0)/i;
const LINUX =
  /(?:(?:^|\s)([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): )?(?:AMD-Vi: Event logged \[)?IO_PAGE_FAULT (?:device=([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) )?domain=(0x[0-9a-f]+) address=(0x[0-9a-f]+) flags=(0x[0-9a-f]+)/i;

const hex = (s: string): string => `0x${BigInt(s.startsWith('0x') ? s : `0x${s}`).toString(16)}`;

/** Requester ID (bus << 8 | dev << 3 | fn) to a segment-0 BDF. */
export function requesterIdToBdf(id: number): string {
  const h = (v: number, w: number) => v.toString(16).padStart(w, '0');
  return `0000:${h(id >> 8, 2)}:${h((id >> 3) & 0x1f, 2)}.${id & 7}`;
}

function parseOne(text: string, n: number): IoPageFault | null {
  const msg = xenMessage(text);
  let m = XEN_OLD.exec(msg);
  if (m)
    return {
      format: 'xen-4.8',
      bdf: requesterIdToBdf(Number(m[2])),
      domain: Number(m[1]),
      address: hex(m[3]),
      flags: Number(m[4]),
      line: n,
      text,
    };
  m = XEN_NEW.exec(msg);
  if (m)
    return {
      format: 'xen-4.14',
      bdf: m[1].toLowerCase(),
      domain: Number(m[2]),
      address: hex(m[3]),
      flags: Number(m[4]),
      line: n,
      text,
    };
  m = LINUX.exec(msg);
  if (m)
    return {
      format: 'linux',
      bdf: normalizeBdf(m[1] ?? m[2] ?? '') ?? null,
      domain: Number(m[3]),
      address: hex(m[4]),
      flags: Number(m[5]),
      line: n,
      text,
    };
  return null;
}

/** Every IO_PAGE_FAULT in a log. Old Linux splits "AMD-Vi: Event logged [" from the event: joined here. */
export function parseIoPageFaults(input: string | Line[]): IoPageFault[] {
  const lines = typeof input === 'string' ? toLines(input) : input;
  const out: IoPageFault[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { n, text } = lines[i];
    if (!text.includes('IO_PAGE_FAULT')) continue;
    const prev = i > 0 && /AMD-Vi: Event logged \[$/.test(lines[i - 1].text) ? `${lines[i - 1].text} ` : '';
    const f = parseOne(prev + text.replace(/^\[\s*\d+\.\d+\]\s*/, ''), n);
    if (f) out.push({ ...f, text });
  }
  return out;
}

/** The faults that name this device (any BDF form). */
export function faultsNaming(faults: IoPageFault[], bdf: string): IoPageFault[] {
  const want = normalizeBdf(bdf);
  return faults.filter((f) => f.bdf !== null && f.bdf === want);
}
