// `lspci -nn` (optionally -D):
//   02:00.0 Ethernet controller [0200]: Intel Corporation I210 Gigabit Network Connection [8086:157b] (rev 03)
import { cleanLine } from '../core/text.ts';
import { normalizeBdf } from './bdf.ts';

export interface PciDevice {
  bdf: string;
  className: string;
  classId: string;
  description: string;
  vendor: string;
  device: string;
  rev: string | null;
}

const ROW =
  /^((?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) (.+?) \[([0-9a-f]{4})\]: (.*?) \[([0-9a-f]{4}):([0-9a-f]{4})\](?: \(rev ([0-9a-f]{2})\))?(?: \(prog-if .*\))?$/i;

export function parseLspci(text: string): PciDevice[] {
  const out: PciDevice[] = [];
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const m = ROW.exec(cleanLine(raw).trim());
    const bdf = m ? normalizeBdf(m[1]) : null;
    if (!m || !bdf) continue;
    out.push({
      bdf,
      className: m[2],
      classId: m[3].toLowerCase(),
      description: m[4],
      vendor: m[5].toLowerCase(),
      device: m[6].toLowerCase(),
      rev: m[7] ?? null,
    });
  }
  return out;
}

/** Network controllers (class 02xx). */
export function isNic(d: PciDevice): boolean {
  return d.classId.startsWith('02');
}
