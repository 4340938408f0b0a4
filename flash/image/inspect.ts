// One look at an image: its FMAP, its CBFS(es), what it says about itself, and where its
// `bootorder` lives — the FMAP region BOOTORDER (PC Engines v4.14.0.1 and later) or the CBFS
// file "bootorder" (before). Pure: no I/O, the caller owns the buffer.
import { createHash } from 'node:crypto';
import { BOOTORDER_SIZE, isBootorder, parseBootorder } from './bootorder.ts';
import {
  CBFS_TYPE,
  type CbfsFile,
  type CbfsInstance,
  type CbfsMasterHeader,
  findCbfs,
  findMasterHeader,
} from './cbfs.ts';
import { type Fmap, findFmap, fmapArea } from './fmap.ts';
import { type ImageIdentity, identifyImage } from './identify.ts';

type BootorderLayout = 'fmap' | 'cbfs';

export interface BootorderLocation {
  layout: BootorderLayout;
  offset: number;
  size: number;
  /** The CBFS file, when the layout is cbfs (its hash attribute must follow an edit). */
  file?: CbfsFile;
}

export interface ImageInfo {
  size: number;
  fmap?: Fmap;
  masterHeader?: CbfsMasterHeader;
  cbfs: CbfsInstance[];
  identity: ImageIdentity;
  bootorder?: BootorderLocation;
}

export function inspectImage(buf: Buffer): ImageInfo {
  const fmap = findFmap(buf);
  const masterHeader = findMasterHeader(buf);
  const cbfs = findCbfs(buf, fmap, masterHeader);
  const files = cbfs.flatMap((c) => c.files).filter((f) => f.type !== CBFS_TYPE.null);
  return {
    size: buf.length,
    fmap,
    masterHeader,
    cbfs,
    identity: identifyImage(buf, files),
    bootorder: locateBootorder(buf, fmap, files),
  };
}

function locateBootorder(buf: Buffer, fmap: Fmap | undefined, files: CbfsFile[]): BootorderLocation | undefined {
  const region = fmapArea(fmap, 'BOOTORDER');
  if (region) {
    const size = Math.min(region.size, BOOTORDER_SIZE);
    // An erased or blank region is no bootorder: never invent one in it.
    if (isBootorder(buf.subarray(region.offset, region.offset + size)))
      return { layout: 'fmap', offset: region.offset, size };
  }
  const file = files.find((f) => f.name === 'bootorder' && !f.compressed);
  if (file && isBootorder(buf.subarray(file.dataOffset, file.dataOffset + file.size)))
    return { layout: 'cbfs', offset: file.dataOffset, size: file.size, file };
  return undefined;
}

export function readBootorderBytes(buf: Buffer, loc: BootorderLocation): Buffer {
  return buf.subarray(loc.offset, loc.offset + loc.size);
}

export function readImageSettings(buf: Buffer, loc: BootorderLocation | undefined): Record<string, string> | undefined {
  if (!loc) return undefined;
  const bytes = readBootorderBytes(buf, loc);
  return isBootorder(bytes) ? parseBootorder(bytes).settings : undefined;
}

/** Writes new bootorder bytes (same size) into the image in place, fixing a CBFS hash attribute. */
export function writeBootorderBytes(buf: Buffer, loc: BootorderLocation, bytes: Buffer): void {
  if (bytes.length !== loc.size) throw new Error(`bootorder must stay ${loc.size} bytes, got ${bytes.length}`);
  bytes.copy(buf, loc.offset);
  const h = loc.file?.hash;
  if (h) createHash(h.algo).update(bytes).digest().copy(buf, h.digestOffset, 0, h.digestLength);
}

/** Human summary of regions for reports: "COREBOOT 0x20800+0x7df800 (CBFS, 12 files)". */
export function describeRegions(info: ImageInfo): string[] {
  const out: string[] = [];
  for (const a of info.fmap?.areas ?? []) {
    const c = info.cbfs.find((x) => x.region === a.name);
    const extra = c ? ` (CBFS, ${c.files.filter((f) => f.type !== CBFS_TYPE.null).length} files)` : '';
    out.push(`${a.name} 0x${a.offset.toString(16)}+0x${a.size.toString(16)}${extra}`);
  }
  for (const c of info.cbfs.filter((x) => x.region === 'legacy'))
    out.push(
      `CBFS 0x${c.start.toString(16)}-0x${c.end.toString(16)} (${c.files.filter((f) => f.type !== CBFS_TYPE.null).length} files)`,
    );
  return out;
}
