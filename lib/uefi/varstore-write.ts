// Writing the UEFI variable store (format: varstore.ts) the way coreboot's smmstoretool does
// an offline edit (util/smmstoretool/{fv.c,vs.c,storage.c}): format an erased region, or rewrite
// the variable area of an existing store with the live variables only, the changed one in its
// place, the rest erased (0xff). Two deliberate differences from smmstoretool, both toward what
// edk2 itself does:
// - only the variable area (VARIABLE_STORE_HEADER.Size) is rewritten; smmstoretool erases the
//   whole region after the store header, which in an edk2-made store (OVMF_VARS) wipes the fault
//   tolerant write working block behind it;
// - a variable that is kept keeps its header bytes (authenticated MonotonicCount, TimeStamp,
//   PubKeyIndex), as edk2's Reclaim copies them; smmstoretool zeroes them.
// A new variable gets smmstoretool's header: 0xff-filled, StartId, State VAR_ADDED, Reserved 0,
// MonotonicCount 0, TimeStamp 0, PubKeyIndex left 0xffffffff, so a blank region written here is
// byte for byte what `smmstoretool f.bin set ...` writes (test/flash/image/smmstore.test.ts).
// Commits of these sources: docs/real-bench.md, "Dasharo UEFI settings: SMMSTORE".
import { guidBytes } from './guid.ts';
import {
  align4,
  EFI_AUTHENTICATED_VARIABLE_GUID,
  EFI_SYSTEM_NV_DATA_FV_GUID,
  FIELD,
  FV_BLOCK_MAP_OFFSET,
  FV_REVISION,
  FV_SIGNATURE,
  fvHeaderChecksum,
  HEADER_LEN,
  liveVariables,
  parseVarStore,
  type StoredVariable,
  VAR_STATE,
  VARIABLE_DATA,
  VARIABLE_STORE_FORMATTED,
  VARIABLE_STORE_HEALTHY,
  VarStoreError,
} from './varstore.ts';

/** SMMSTORE version 2 block size (coreboot smmstore.h, smmstoretool fv.c SMM_BLOCK_SIZE). */
export const SMM_BLOCK_SIZE = 64 * 1024;

/** EFI_FVB2 READ_ENABLED_CAP|READ_STATUS|WRITE_ENABLED_CAP|WRITE_STATUS|STICKY_WRITE|MEMORY_MAPPED|ERASE_POLARITY. */
const FV_ATTRIBUTES = 0x2 | 0x4 | 0x10 | 0x20 | 0x200 | 0x400 | 0x800;

/**
 * An empty store spanning `size` bytes, as smmstoretool's fv_init() makes it: authenticated
 * headers, 64 KiB blocks, and a variable area of (blocks / 2 − 1) blocks minus the FV header —
 * the rest is edk2's fault tolerant write working and spare space.
 */
export function formatVarStore(size: number): Buffer {
  if (size % SMM_BLOCK_SIZE)
    throw new VarStoreError(`region of ${size} bytes is not a multiple of the 64 KiB SMMSTORE block`);
  const blocks = size / SMM_BLOCK_SIZE;
  const headerLength = FV_BLOCK_MAP_OFFSET + 16; // one block map entry and its terminator
  const storeSize = (Math.floor(blocks / 2) - 1) * SMM_BLOCK_SIZE - headerLength;
  if (storeSize <= 0)
    throw new VarStoreError(`region of ${size} bytes is too small: edk2 needs at least 256 KiB (4 blocks) here`);
  const out = Buffer.alloc(size, 0xff);
  out.fill(0, 0, headerLength);
  guidBytes(EFI_SYSTEM_NV_DATA_FV_GUID).copy(out, 16);
  out.writeBigUInt64LE(BigInt(size), 32);
  out.writeUInt32LE(FV_SIGNATURE, 40);
  out.writeUInt32LE(FV_ATTRIBUTES, 44);
  out.writeUInt16LE(headerLength, 48);
  out[55] = FV_REVISION;
  out.writeUInt32LE(blocks, FV_BLOCK_MAP_OFFSET);
  out.writeUInt32LE(SMM_BLOCK_SIZE, FV_BLOCK_MAP_OFFSET + 4);
  out.writeUInt16LE((0x10000 - fvHeaderChecksum(out, headerLength)) & 0xffff, 50);
  const vs = headerLength;
  out.fill(0, vs, vs + 28);
  guidBytes(EFI_AUTHENTICATED_VARIABLE_GUID).copy(out, vs);
  out.writeUInt32LE(storeSize, vs + 16);
  out[vs + 20] = VARIABLE_STORE_FORMATTED;
  out[vs + 21] = VARIABLE_STORE_HEALTHY;
  return out;
}

export interface NewVariable {
  name: string;
  guid: string;
  data: Buffer;
  /** Used when the variable is new; an existing one keeps its own (edk2 refuses to change them). */
  attributes: number;
}

interface Entry {
  header: Buffer;
  nameBytes: Buffer;
  data: Buffer;
}

function newHeader(v: NewVariable, auth: boolean, nameSize: number): Buffer {
  const kind = auth ? 'auth' : 'plain';
  const f = FIELD[kind];
  const h = Buffer.alloc(HEADER_LEN[kind], 0xff);
  h.writeUInt16LE(VARIABLE_DATA, 0);
  h[3] = 0; // Reserved
  h.writeUInt32LE(v.attributes, 4);
  if (auth) h.fill(0, 8, 32); // MonotonicCount, TimeStamp; PubKeyIndex stays 0xffffffff
  h.writeUInt32LE(nameSize, f.nameSize);
  guidBytes(v.guid).copy(h, f.guid);
  return h;
}

/** Sets one variable in the store that fills `region`; returns the new region (same size). */
export function setVariable(region: Buffer, v: NewVariable): { region: Buffer; previous?: StoredVariable } {
  if (!/^[\x20-\x7e]+$/.test(v.name)) throw new VarStoreError(`variable name "${v.name}" is not printable ASCII`);
  const store = parseVarStore(region);
  const guid = v.guid.toLowerCase();
  const live = liveVariables(store);
  const previous = live.find((x) => x.name === v.name && x.guid === guid);
  const entries: Entry[] = live.map((x) => ({
    header: x.header,
    nameBytes: x.nameBytes,
    data: x === previous ? v.data : x.data,
  }));
  if (!previous) {
    const nameBytes = Buffer.from(`${v.name}\0`, 'utf16le');
    entries.push({ header: newHeader(v, store.auth, nameBytes.length), nameBytes, data: v.data });
  }
  const out = Buffer.from(region);
  const { start, end } = store;
  out.fill(0xff, start, end);
  const f = FIELD[store.auth ? 'auth' : 'plain'];
  let at = start;
  for (const e of entries) {
    const size = e.header.length + e.nameBytes.length + e.data.length;
    if (at + size > end)
      throw new VarStoreError(
        `variable store is full: ${v.name} does not fit in the ${Math.max(0, end - at)} bytes left of ${end - start}`,
      );
    e.header.copy(out, at);
    out[at + 2] = VAR_STATE.ADDED; // an in-transition survivor is promoted, as edk2's Reclaim does
    out.writeUInt32LE(e.nameBytes.length, at + f.nameSize);
    out.writeUInt32LE(e.data.length, at + f.dataSize);
    e.nameBytes.copy(out, at + e.header.length);
    e.data.copy(out, at + e.header.length + e.nameBytes.length);
    at = align4(at + size);
  }
  return { region: out, previous };
}
