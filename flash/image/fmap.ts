// FMAP (flashmap) parser: the table coreboot images carry that names the chip's regions
// (COREBOOT, BOOTORDER, RW_VPD...). Layout from coreboot's commonlib/bsd/fmap_serialized.h:
// little-endian, "__FMAP__", u8 major, u8 minor, u64 base, u32 size, char name[32], u16 nareas,
// then nareas × { u32 offset, u32 size, char name[32], u16 flags }.

export const FMAP_SIGNATURE = Buffer.from('__FMAP__', 'latin1');
const HEADER_LEN = 56;
const AREA_LEN = 42;
const NAME_LEN = 32;

export interface FmapArea {
  name: string;
  offset: number;
  size: number;
  flags: number;
}

export interface Fmap {
  /** Where the FMAP itself sits in the image. */
  offset: number;
  version: string;
  name: string;
  size: number;
  areas: FmapArea[];
}

export function cString(buf: Uint8Array, start: number, max: number): string {
  let end = start;
  while (end < start + max && end < buf.length && buf[end] !== 0) end++;
  return Buffer.from(buf.subarray(start, end)).toString('latin1');
}

/** Parses an FMAP at `at`; returns why it is not sane instead of throwing. */
export function parseFmapAt(buf: Buffer, at: number): Fmap | string {
  if (at + HEADER_LEN > buf.length) return 'header runs past the end of the image';
  if (!buf.subarray(at, at + 8).equals(FMAP_SIGNATURE)) return 'no __FMAP__ signature';
  const major = buf[at + 8]!;
  const minor = buf[at + 9]!;
  if (major !== 1) return `unsupported FMAP version ${major}.${minor}`;
  const size = buf.readUInt32LE(at + 18);
  const name = cString(buf, at + 22, NAME_LEN);
  const nareas = buf.readUInt16LE(at + 54);
  if (size === 0 || size > buf.length) return `FMAP says the flash is ${size} bytes, the image is ${buf.length}`;
  if (nareas === 0 || at + HEADER_LEN + nareas * AREA_LEN > buf.length) return `implausible area count ${nareas}`;
  const areas: FmapArea[] = [];
  for (let i = 0; i < nareas; i++) {
    const p = at + HEADER_LEN + i * AREA_LEN;
    const area = {
      offset: buf.readUInt32LE(p),
      size: buf.readUInt32LE(p + 4),
      name: cString(buf, p + 8, NAME_LEN),
      flags: buf.readUInt16LE(p + 40),
    };
    if (!/^[\x21-\x7e]+$/.test(area.name)) return `area ${i} has an unprintable name`;
    if (area.offset + area.size > size)
      return `area ${area.name} (0x${hex(area.offset)}+0x${hex(area.size)}) lies outside the flash`;
    areas.push(area);
  }
  return { offset: at, version: `${major}.${minor}`, name, size, areas };
}

/** Finds the first sane FMAP in an image (coreboot puts it anywhere, usually 4 KiB aligned). */
export function findFmap(buf: Buffer): Fmap | undefined {
  for (let at = buf.indexOf(FMAP_SIGNATURE); at >= 0; at = buf.indexOf(FMAP_SIGNATURE, at + 1)) {
    const r = parseFmapAt(buf, at);
    if (typeof r !== 'string') return r;
  }
  return undefined;
}

export function fmapArea(fmap: Fmap | undefined, name: string): FmapArea | undefined {
  return fmap?.areas.find((a) => a.name === name);
}

const hex = (n: number): string => n.toString(16);
