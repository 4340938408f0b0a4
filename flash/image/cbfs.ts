// CBFS parser: the legacy master header ("ORBC") and the file walk ("LARCHIVE" headers).
// Layout from coreboot's commonlib/bsd/cbfs_serialized.h — everything big-endian:
//   master header: magic, version, romsize, bootblocksize, align, offset, architecture, pad
//   file: "LARCHIVE", u32 len, u32 type, u32 attributes_offset, u32 offset (data, from header), name
//   attribute: u32 tag, u32 len (whole attribute); hash: u32 algo, digest.
// On x86 the last 4 bytes of the image point (relative to its end) at the master header.
import { cString, type Fmap } from './fmap.ts';

const CBFS_HEADER_MAGIC = 0x4f524243; // "ORBC"
const CBFS_FILE_MAGIC = Buffer.from('LARCHIVE', 'latin1');
const FILE_HEADER_LEN = 24;
const ALIGN = 64;
export const CBFS_TYPE = { raw: 0x50, null: 0xffffffff, deleted: 0, stage: 0x10, payload: 0x20 } as const;
const ATTR_HASH = 0x68736148; // "hsaH"
const ATTR_PADDING = 0x01;
/** vboot hash algorithm ids used by cbfstool -A. */
const HASH_ALGOS: Record<number, { name: string; node: string; len: number }> = {
  1: { name: 'sha1', node: 'sha1', len: 20 },
  2: { name: 'sha256', node: 'sha256', len: 32 },
  3: { name: 'sha512', node: 'sha512', len: 64 },
};

export interface CbfsMasterHeader {
  offset: number;
  version: number;
  romSize: number;
  bootblockSize: number;
  align: number;
  cbfsOffset: number;
  architecture: number;
}

interface CbfsHashAttr {
  algo: string;
  /** Absolute offset of the digest in the image. */
  digestOffset: number;
  digestLength: number;
}

export interface CbfsFile {
  name: string;
  type: number;
  /** Absolute offset of the LARCHIVE header. */
  headerOffset: number;
  /** Absolute offset of the data. */
  dataOffset: number;
  size: number;
  hash?: CbfsHashAttr;
  compressed: boolean;
}

/** The legacy master header, via the pointer in the last 4 bytes; undefined if absent or not sane. */
export function findMasterHeader(buf: Buffer): CbfsMasterHeader | undefined {
  if (buf.length < 64) return undefined;
  const at = buf.length + buf.readInt32LE(buf.length - 4);
  if (at < 0 || at + 32 > buf.length || buf.readUInt32BE(at) !== CBFS_HEADER_MAGIC) return undefined;
  const h: CbfsMasterHeader = {
    offset: at,
    version: buf.readUInt32BE(at + 4),
    romSize: buf.readUInt32BE(at + 8),
    bootblockSize: buf.readUInt32BE(at + 12),
    align: buf.readUInt32BE(at + 16),
    cbfsOffset: buf.readUInt32BE(at + 20),
    architecture: buf.readUInt32BE(at + 24),
  };
  const sane =
    h.romSize === buf.length &&
    h.align > 0 &&
    (h.align & (h.align - 1)) === 0 &&
    h.cbfsOffset < h.romSize &&
    h.bootblockSize < h.romSize;
  return sane ? h : undefined;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Walks the files of one CBFS that starts at `start` and may not run past `end`. */
function walkCbfs(buf: Buffer, start: number, end: number): CbfsFile[] {
  const files: CbfsFile[] = [];
  let pos = start;
  while (pos + FILE_HEADER_LEN <= end && buf.subarray(pos, pos + 8).equals(CBFS_FILE_MAGIC)) {
    const size = buf.readUInt32BE(pos + 8);
    const type = buf.readUInt32BE(pos + 12);
    const attrOffset = buf.readUInt32BE(pos + 16);
    const dataRel = buf.readUInt32BE(pos + 20);
    if (dataRel < FILE_HEADER_LEN || pos + dataRel + size > end) break; // corrupt: stop, don't guess
    const nameEnd = attrOffset || dataRel;
    const file: CbfsFile = {
      name: cString(buf, pos + FILE_HEADER_LEN, nameEnd - FILE_HEADER_LEN),
      type,
      headerOffset: pos,
      dataOffset: pos + dataRel,
      size,
      compressed: false,
    };
    if (attrOffset) readAttributes(buf, pos + attrOffset, pos + dataRel, file);
    files.push(file);
    pos = alignUp(pos + dataRel + size, ALIGN);
  }
  return files;
}

function readAttributes(buf: Buffer, from: number, to: number, file: CbfsFile): void {
  let p = from;
  while (p + 8 <= to) {
    const tag = buf.readUInt32BE(p);
    const len = buf.readUInt32BE(p + 4);
    if (tag === 0 || tag === ATTR_PADDING || len < 8) break;
    if (tag === ATTR_HASH) {
      const algo = HASH_ALGOS[buf.readUInt32BE(p + 8)];
      if (algo) file.hash = { algo: algo.node, digestOffset: p + 12, digestLength: algo.len };
    } else if (tag === 0x42435a4c) {
      // "LZCB": compression attribute; a compressed file's bytes are not its text
      file.compressed = buf.readUInt32BE(p + 8) !== 0;
    }
    p += len;
  }
}

export interface CbfsInstance {
  /** FMAP region name, or "legacy" for a master-header CBFS. */
  region: string;
  start: number;
  end: number;
  files: CbfsFile[];
}

/** Every CBFS in the image: FMAP regions that start with a file, else the master header's. */
export function findCbfs(buf: Buffer, fmap: Fmap | undefined, header: CbfsMasterHeader | undefined): CbfsInstance[] {
  const out: CbfsInstance[] = [];
  for (const a of fmap?.areas ?? []) {
    if (!buf.subarray(a.offset, a.offset + 8).equals(CBFS_FILE_MAGIC)) continue;
    const files = walkCbfs(buf, a.offset, a.offset + a.size);
    if (files.length) out.push({ region: a.name, start: a.offset, end: a.offset + a.size, files });
  }
  if (!out.length && header) {
    const end = header.romSize - header.bootblockSize;
    // Old cbfstool left `offset` 0 and started at the first file after it: search aligned.
    let start = header.cbfsOffset;
    while (start < end && !buf.subarray(start, start + 8).equals(CBFS_FILE_MAGIC)) start += header.align;
    const files = start < end ? walkCbfs(buf, start, end) : [];
    out.push({ region: 'legacy', start, end, files });
  }
  return out;
}
