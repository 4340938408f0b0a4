// `xl pci-assignable-list` prints one BDF per line ("0000:02:00.0"); `xl pci-list <dom>`
// prints "Vdev Device" then "00.0 0000:02:00.0". On a serial console, kernel messages can
// interleave, so anything that is not such a line is ignored.
import { cleanLine } from '../core/text.ts';
import { normalizeBdf } from './bdf.ts';

export function parsePciAssignableList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const bdf = normalizeBdf(cleanLine(raw).trim());
    if (bdf && !out.includes(bdf)) out.push(bdf);
  }
  return out;
}

export interface XlPciListEntry {
  vdev: string;
  bdf: string;
}

export function parseXlPciList(text: string): XlPciListEntry[] {
  const out: XlPciListEntry[] = [];
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const m = /^([0-9a-f]{2}\.[0-7])\s+(\S+)/.exec(cleanLine(raw).trim());
    const bdf = m ? normalizeBdf(m[2]) : null;
    if (m && bdf) out.push({ vdev: m[1], bdf });
  }
  return out;
}
