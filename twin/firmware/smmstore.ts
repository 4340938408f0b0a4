// A minimal SMMSTORE (coreboot SMMSTORE v2) variable store, for the twin's Dasharo UEFI image:
// an empty store for the builder, one variable added (the builder's --network-boot), and one
// variable read back (the board's "iPXE Network Boot" gate).
//
// STUB, to be replaced by flash/image's SMMSTORE code once branch h-smmstore lands: the twin then
// reads with the same code that writes NetworkBoot before a real flash, so both sides agree.
//
// Format, from coreboot util/smmstoretool (fv.c fv_init/fv_parse, vs.c vs_load/store_var; UDK2017
// PiFirmwareVolume.h, VariableFormat.h, all packed little-endian):
// - EFI_FIRMWARE_VOLUME_HEADER: ZeroVector[16], FileSystemGuid = EfiSystemNvDataFvGuid, u64
//   FvLength, u32 Signature "_FVH", u32 Attributes, u16 HeaderLength (64 + one 8-byte block map
//   entry = 72), u16 Checksum (the header's u16 words sum to 0), u16 ExtHeaderOffset, u8
//   Reserved, u8 Revision 2, BlockMap { NumBlocks, 64 KiB }, { 0, 0 };
// - VARIABLE_STORE_HEADER (28 bytes): Signature = EFI_AUTHENTICATED_VARIABLE_GUID, u32 Size =
//   (blocks / 2 - 1) * 64 KiB - HeaderLength (the rest is fault-tolerant-write space), u8 Format
//   0x5A, u8 State 0xFE, reserved;
// - variables, each 4-byte aligned: AUTHENTICATED_VARIABLE_HEADER (60 bytes: u16 StartId 0x55AA,
//   u8 State (0x3F = VAR_ADDED), u8 Reserved, u32 Attributes, u64 MonotonicCount, EFI_TIME[16],
//   u32 PubKeyIndex, u32 NameSize, u32 DataSize, VendorGuid), the UTF-16LE name with its NUL,
//   the data. The first header that is not 0x55AA ends the list (erased flash reads 0xFFFF).

export const SMM_BLOCK_SIZE = 64 * 1024;
const FV_HEADER_LENGTH = 72;
const STORE_HEADER_LENGTH = 28;
const VAR_HEADER_LENGTH = 60;
const VARIABLE_DATA = 0x55aa;
const VAR_ADDED = 0x3f;
/** EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS: smmstoretool's vs_new_var. */
const DEFAULT_ATTRIBUTES = 0x7;

const SYSTEM_NV_DATA_FV_GUID = 'fff12b8d-7696-4c8b-a985-2747075b4f50';
const AUTHENTICATED_VARIABLE_GUID = 'aaf32c78-947b-439a-a180-2e144ec37792';
/** Dasharo's gDasharoSystemFeaturesGuid (smmstoretool's alias `dasharo`). */
export const DASHARO_GUID = 'd15b327e-ff2d-4fc1-abf6-c12bd08c1359';
/** Dasharo/edk2 DASHARO_VAR_NETWORK_BOOT: a 1-byte BOOLEAN. */
export const NETWORK_BOOT = 'NetworkBoot';

/** An EFI_GUID in its in-memory layout (first three fields little-endian). */
export function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a GUID: ${guid}`);
  const b = Buffer.from(hex, 'hex');
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

const align4 = (n: number) => (n + 3) & ~3;

/** A formatted, empty variable store filling a region (what smmstoretool's fv_init writes). */
export function emptyVariableStore(size: number): Buffer {
  if (size <= 0 || size % SMM_BLOCK_SIZE !== 0 || size / SMM_BLOCK_SIZE < 4)
    throw new Error(`SMMSTORE size ${size} is not a multiple of 64 KiB of at least 4 blocks`);
  const blocks = size / SMM_BLOCK_SIZE;
  const b = Buffer.alloc(size, 0xff);
  b.fill(0, 0, FV_HEADER_LENGTH);
  guidBytes(SYSTEM_NV_DATA_FV_GUID).copy(b, 16);
  b.writeBigUInt64LE(BigInt(size), 32);
  b.write('_FVH', 40, 'latin1');
  // READ_ENABLED_CAP|READ_STATUS|WRITE_ENABLED_CAP|WRITE_STATUS|STICKY_WRITE|MEMORY_MAPPED|ERASE_POLARITY
  b.writeUInt32LE(0xe36, 44);
  b.writeUInt16LE(FV_HEADER_LENGTH, 48);
  b.writeUInt8(2, 55);
  b.writeUInt32LE(blocks, 56);
  b.writeUInt32LE(SMM_BLOCK_SIZE, 60);
  let sum = 0;
  for (let i = 0; i < FV_HEADER_LENGTH; i += 2) sum = (sum + b.readUInt16LE(i)) & 0xffff;
  b.writeUInt16LE((0x10000 - sum) & 0xffff, 50);
  const vs = b.subarray(FV_HEADER_LENGTH, FV_HEADER_LENGTH + STORE_HEADER_LENGTH);
  vs.fill(0);
  guidBytes(AUTHENTICATED_VARIABLE_GUID).copy(vs, 0);
  vs.writeUInt32LE((blocks / 2 - 1) * SMM_BLOCK_SIZE - FV_HEADER_LENGTH, 16);
  vs.writeUInt8(0x5a, 20);
  vs.writeUInt8(0xfe, 21);
  return b;
}

export interface StoredVariable {
  name: string;
  guid: Buffer;
  attributes: number;
  data: Buffer;
}

/** The live variables of a store, or why it is not one (erased flash, another format). */
export function readVariables(region: Buffer): StoredVariable[] | string {
  if (region.length < FV_HEADER_LENGTH + STORE_HEADER_LENGTH) return 'region too small for a variable store';
  if (region.toString('latin1', 40, 44) !== '_FVH') return 'no firmware volume header (erased or not a store)';
  const headerLength = region.readUInt16LE(48);
  if (!guidBytes(SYSTEM_NV_DATA_FV_GUID).equals(region.subarray(16, 32)))
    return 'firmware volume is not an NV data volume';
  let sum = 0;
  for (let i = 0; i < headerLength; i += 2) sum = (sum + region.readUInt16LE(i)) & 0xffff;
  if (sum !== 0) return `firmware volume header checksum is 0x${sum.toString(16)}, not 0`;
  const vs = region.subarray(headerLength);
  if (!guidBytes(AUTHENTICATED_VARIABLE_GUID).equals(vs.subarray(0, 16)))
    return 'variable store is not an authenticated one';
  if (vs[20] !== 0x5a || vs[21] !== 0xfe) return 'variable store is not formatted and healthy';
  const vars: StoredVariable[] = [];
  for (let at = STORE_HEADER_LENGTH; at + VAR_HEADER_LENGTH <= vs.length; ) {
    if (vs.readUInt16LE(at) !== VARIABLE_DATA) break;
    const state = vs[at + 2];
    const attributes = vs.readUInt32LE(at + 4);
    const nameSize = vs.readUInt32LE(at + 36);
    const dataSize = vs.readUInt32LE(at + 40);
    const guid = vs.subarray(at + 44, at + 60);
    const nameAt = at + VAR_HEADER_LENGTH;
    if (nameAt + nameSize + dataSize > vs.length) return 'a variable runs past the end of the store';
    if (state === VAR_ADDED)
      vars.push({
        name: vs.toString('utf16le', nameAt, nameAt + nameSize).replace(/\0+$/, ''),
        guid: Buffer.from(guid),
        attributes,
        data: Buffer.from(vs.subarray(nameAt + nameSize, nameAt + nameSize + dataSize)),
      });
    at += align4(VAR_HEADER_LENGTH + nameSize + dataSize);
  }
  return vars;
}

/** One variable's data, undefined when the store lacks it (or is no store). */
export function readVariable(region: Buffer, name: string, guid: string): Buffer | undefined {
  const vars = readVariables(region);
  if (typeof vars === 'string') return undefined;
  const g = guidBytes(guid);
  return vars.find((v) => v.name === name && v.guid.equals(g))?.data;
}

/** Appends a variable to a formatted store, in place (as smmstoretool's store_var lays it out). */
export function addVariable(region: Buffer, name: string, guid: string, data: Buffer): void {
  const vars = readVariables(region);
  if (typeof vars === 'string') throw new Error(`SMMSTORE: ${vars}`);
  const vs = region.subarray(region.readUInt16LE(48));
  let at = STORE_HEADER_LENGTH;
  while (at + VAR_HEADER_LENGTH <= vs.length && vs.readUInt16LE(at) === VARIABLE_DATA)
    at += align4(VAR_HEADER_LENGTH + vs.readUInt32LE(at + 36) + vs.readUInt32LE(at + 40));
  const nameBytes = Buffer.from(`${name}\0`, 'utf16le');
  const size = VAR_HEADER_LENGTH + nameBytes.length + data.length;
  if (at + size > vs.readUInt32LE(16)) throw new Error('SMMSTORE: no room for another variable');
  const h = vs.subarray(at, at + VAR_HEADER_LENGTH);
  h.fill(0xff);
  h.writeUInt16LE(VARIABLE_DATA, 0);
  h.writeUInt8(VAR_ADDED, 2);
  h.writeUInt8(0, 3);
  h.writeUInt32LE(DEFAULT_ATTRIBUTES, 4);
  h.writeUInt32LE(nameBytes.length, 36);
  h.writeUInt32LE(data.length, 40);
  guidBytes(guid).copy(h, 44);
  nameBytes.copy(vs, at + VAR_HEADER_LENGTH);
  data.copy(vs, at + VAR_HEADER_LENGTH + nameBytes.length);
}

/**
 * Dasharo's gate for the "iPXE Network Boot" entry (Dasharo/edk2 PlatformBootManager.c): the
 * variable present with its 1-byte size and non-zero; absent → PcdDefaultNetworkBootEnable,
 * which apu2 builds leave off (CONFIG_EDK2_DASHARO_NETWORK_BOOT_DEFAULT_ENABLE unset).
 */
export function networkBootEnabled(region: Buffer): boolean {
  const v = readVariable(region, NETWORK_BOOT, DASHARO_GUID);
  return v !== undefined && v.length === 1 && v[0] !== 0;
}
