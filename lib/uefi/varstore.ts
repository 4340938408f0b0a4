// Reading the UEFI variable store that edk2 keeps in flash (and Dasharo keeps in coreboot's
// SMMSTORE region): a firmware volume header, a variable store header, then the variables.
//
//   EFI_FIRMWARE_VOLUME_HEADER (edk2 MdePkg/Include/Pi/PiFirmwareVolume.h): 16 zero bytes,
//     FileSystemGuid = EFI_SYSTEM_NV_DATA_FV_GUID, u64 FvLength, "_FVH", u32 Attributes,
//     u16 HeaderLength, u16 Checksum (the header's u16 words sum to 0), u16 ExtHeaderOffset,
//     u8 Reserved, u8 Revision = 2, then { u32 NumBlocks, u32 Length } entries ending in { 0, 0 }.
//   VARIABLE_STORE_HEADER at HeaderLength (edk2 MdeModulePkg/Include/Guid/VariableFormat.h):
//     Signature = EFI_VARIABLE_GUID or EFI_AUTHENTICATED_VARIABLE_GUID (which variable header the
//     store uses), u32 Size (this header + the variable area), u8 Format = 0x5a, u8 State = 0xfe.
//   Variables from the 4-byte-aligned end of that header: VARIABLE_HEADER (32 bytes) or
//     AUTHENTICATED_VARIABLE_HEADER (60: adds MonotonicCount, TimeStamp, PubKeyIndex), then the
//     UTF-16LE name with its NUL (NameSize bytes), then DataSize bytes of data; the next header at
//     the next 4-byte boundary (HEADER_ALIGNMENT). The walk ends at a StartId other than 0x55AA.
//   State is written by clearing bits, so a variable's life is 0xff → 0x7f (header valid) → 0x3f
//     (VAR_ADDED) → 0x3e (in deleted transition, while its new copy is written) → 0x3c (deleted).
//     Live are VAR_ADDED ones, and an in-transition one when no VAR_ADDED copy exists: edk2's
//     FindVariableEx (MdeModulePkg/Universal/Variable/RuntimeDxe/VariableParsing.c) and Reclaim
//     (Variable.c) treat it so; coreboot's reader (src/drivers/efi/efivars.c) accepts both states.
// Commits of these sources: docs/real-bench.md, "Dasharo UEFI settings: SMMSTORE".
import { guidText } from './guid.ts';

export const EFI_SYSTEM_NV_DATA_FV_GUID = 'fff12b8d-7696-4c8b-a985-2747075b4f50';
export const EFI_VARIABLE_GUID = 'ddcf3616-3275-4164-98b6-fe85707ffe7d';
export const EFI_AUTHENTICATED_VARIABLE_GUID = 'aaf32c78-947b-439a-a180-2e144ec37792';

export const EFI_VARIABLE = { NON_VOLATILE: 0x1, BOOTSERVICE_ACCESS: 0x2, RUNTIME_ACCESS: 0x4 } as const;
export const VAR_STATE = {
  HEADER_VALID_ONLY: 0x7f,
  ADDED: 0x3f,
  IN_DELETED_TRANSITION: 0x3f & 0xfe,
  DELETED: 0x3f & 0xfd,
} as const;

export const FV_SIGNATURE = 0x4856465f; // "_FVH"
export const FV_REVISION = 2;
export const FV_BLOCK_MAP_OFFSET = 56;
export const VARIABLE_STORE_HEADER_LEN = 28;
export const VARIABLE_STORE_FORMATTED = 0x5a;
export const VARIABLE_STORE_HEALTHY = 0xfe;
export const VARIABLE_DATA = 0x55aa;
export const HEADER_LEN = { plain: 32, auth: 60 } as const;
/** Where NameSize, DataSize and VendorGuid sit in each header kind. */
export const FIELD = {
  plain: { nameSize: 8, dataSize: 12, guid: 16 },
  auth: { nameSize: 36, dataSize: 40, guid: 44 },
} as const;

export const align4 = (n: number): number => (n + 3) & ~3;

/** A variable store that is not there or not sane; the message is one line, without a prefix. */
export class VarStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VarStoreError';
  }
}

export interface StoredVariable {
  name: string;
  guid: string;
  attributes: number;
  state: number;
  data: Buffer;
  /** Offset of its header in the region. */
  offset: number;
  /** The header as stored; a rewrite keeps its authenticated fields (edk2's Reclaim copies them). */
  header: Buffer;
  /** The name as stored: UTF-16LE with its NUL. */
  nameBytes: Buffer;
}

export interface VarStore {
  /** Authenticated variable headers (the store's signature is EFI_AUTHENTICATED_VARIABLE_GUID). */
  auth: boolean;
  fvLength: number;
  fvHeaderLength: number;
  blocks: { count: number; length: number }[];
  /** VARIABLE_STORE_HEADER.Size: that header plus the variable area. */
  storeSize: number;
  /** First variable header. */
  start: number;
  /** End of the variable area (HeaderLength + Size, aligned: edk2's GetEndPointer). */
  end: number;
  /** Where the free space starts: after the last entry. */
  used: number;
  /** Every entry in store order, live or not. */
  entries: StoredVariable[];
}

const hex = (n: number) => `0x${n.toString(16)}`;

function checksum16(buf: Buffer, len: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < len; i += 2) sum = (sum + buf.readUInt16LE(i)) & 0xffff;
  return sum;
}

export function fvHeaderChecksum(region: Buffer, headerLength: number): number {
  return checksum16(region, headerLength);
}

/** Parses a store that fills `region` from its start; throws VarStoreError saying what is wrong. */
export function parseVarStore(region: Buffer): VarStore {
  if (region.length < FV_BLOCK_MAP_OFFSET + 16 + VARIABLE_STORE_HEADER_LEN)
    throw new VarStoreError(`region of ${region.length} bytes is too small for a variable store`);
  if (region.readUInt32LE(40) !== FV_SIGNATURE)
    throw new VarStoreError('no firmware volume header (no "_FVH" signature at 0x28)');
  const revision = region[55]!;
  if (revision !== FV_REVISION) throw new VarStoreError(`firmware volume revision ${revision}, expected 2`);
  const fsGuid = guidText(region, 16);
  if (fsGuid !== EFI_SYSTEM_NV_DATA_FV_GUID)
    throw new VarStoreError(`firmware volume ${fsGuid} is not a variable store (${EFI_SYSTEM_NV_DATA_FV_GUID})`);
  const fvLength = Number(region.readBigUInt64LE(32));
  if (fvLength > region.length)
    throw new VarStoreError(`firmware volume says ${fvLength} bytes, the region holds ${region.length}`);
  const fvHeaderLength = region.readUInt16LE(48);
  if (fvHeaderLength % 2 || fvHeaderLength < FV_BLOCK_MAP_OFFSET + 8 || fvHeaderLength >= region.length)
    throw new VarStoreError(`firmware volume header length ${fvHeaderLength} is not plausible`);
  const sum = fvHeaderChecksum(region, fvHeaderLength);
  if (sum !== 0) throw new VarStoreError(`firmware volume header checksum is off by ${hex(sum)} (header corrupted)`);
  const blocks: VarStore['blocks'] = [];
  for (let p = FV_BLOCK_MAP_OFFSET; p + 8 <= fvHeaderLength; p += 8) {
    const count = region.readUInt32LE(p);
    const length = region.readUInt32LE(p + 4);
    if (!count && !length) break;
    blocks.push({ count, length });
  }
  const vs = fvHeaderLength;
  const sig = guidText(region, vs);
  if (sig !== EFI_VARIABLE_GUID && sig !== EFI_AUTHENTICATED_VARIABLE_GUID)
    throw new VarStoreError(`variable store signature ${sig} is neither EFI_VARIABLE_GUID nor its authenticated one`);
  const auth = sig === EFI_AUTHENTICATED_VARIABLE_GUID;
  const storeSize = region.readUInt32LE(vs + 16);
  if (storeSize < VARIABLE_STORE_HEADER_LEN || storeSize > region.length - vs)
    throw new VarStoreError(`variable store size ${storeSize} does not fit the ${region.length - vs} bytes after it`);
  if (region[vs + 20] !== VARIABLE_STORE_FORMATTED)
    throw new VarStoreError(`variable store is not formatted (${hex(region[vs + 20]!)}, expected 0x5a)`);
  if (region[vs + 21] !== VARIABLE_STORE_HEALTHY)
    throw new VarStoreError(`variable store is not healthy (state ${hex(region[vs + 21]!)}, expected 0xfe)`);
  const start = align4(vs + VARIABLE_STORE_HEADER_LEN);
  const end = Math.min(align4(vs + storeSize), region.length);
  const { entries, used } = walkVariables(region, auth, start, end);
  return { auth, fvLength, fvHeaderLength, blocks, storeSize, start, end, used, entries };
}

function walkVariables(region: Buffer, auth: boolean, start: number, end: number) {
  const kind = auth ? 'auth' : 'plain';
  const hdrLen = HEADER_LEN[kind];
  const f = FIELD[kind];
  const entries: StoredVariable[] = [];
  let at = start;
  while (at + hdrLen <= end && region.readUInt16LE(at) === VARIABLE_DATA) {
    const nameSize = region.readUInt32LE(at + f.nameSize);
    const dataSize = region.readUInt32LE(at + f.dataSize);
    // Sizes never written: an update cut short before its header was complete; nothing follows.
    if (nameSize === 0xffffffff || dataSize === 0xffffffff) break;
    const nameAt = at + hdrLen;
    const next = nameAt + nameSize + dataSize;
    if (next > end)
      throw new VarStoreError(`variable at ${hex(at)} runs past the end of the store (${hex(end)}): store corrupted`);
    const nameBytes = Buffer.from(region.subarray(nameAt, nameAt + nameSize));
    const text = nameBytes.toString('utf16le');
    entries.push({
      name: text.includes('\0') ? text.slice(0, text.indexOf('\0')) : text,
      guid: guidText(region, at + f.guid),
      attributes: region.readUInt32LE(at + 4),
      state: region[at + 2]!,
      data: Buffer.from(region.subarray(nameAt + nameSize, next)),
      offset: at,
      header: Buffer.from(region.subarray(at, nameAt)),
      nameBytes,
    });
    at = align4(next);
  }
  return { entries, used: Math.min(at, end) };
}

const key = (v: { name: string; guid: string }) => `${v.guid}:${v.name}`;

/**
 * The variables a firmware would see, in store order: every VAR_ADDED one, and an in-deleted-
 * transition one whose VAR_ADDED copy never got written (edk2 FindVariableEx / Reclaim).
 */
export function liveVariables(store: VarStore): StoredVariable[] {
  const added = new Set(store.entries.filter((v) => v.state === VAR_STATE.ADDED).map(key));
  const seen = new Set<string>();
  return store.entries.filter((v) => {
    const k = key(v);
    const live =
      v.state === VAR_STATE.ADDED || (v.state === VAR_STATE.IN_DELETED_TRANSITION && !added.has(k) && !seen.has(k));
    if (live && v.state !== VAR_STATE.ADDED) seen.add(k);
    return live;
  });
}

export function findVariable(store: VarStore, name: string, guid: string): StoredVariable | undefined {
  const g = guid.toLowerCase();
  return liveVariables(store).find((v) => v.name === name && v.guid === g);
}

/** The region as a blank (erased) flash: nothing formatted in it. */
export function isErased(region: Buffer): boolean {
  return region.every((b) => b === 0xff);
}

/**
 * A variable's data in a region read on its own (an SMMSTORE range, an OVMF_VARS): undefined when
 * absent or the region is erased (firmware formats it on first boot); VarStoreError when the
 * region is neither erased nor a sane store.
 */
export function variableIn(region: Buffer, name: string, guid: string): Buffer | undefined {
  if (isErased(region)) return undefined;
  return findVariable(parseVarStore(region), name, guid)?.data;
}
