// EFI_GUID as it lies in flash: { UINT32 Data1; UINT16 Data2; UINT16 Data3; UINT8 Data4[8] }, the
// first three little-endian (edk2 MdePkg/Include/Base.h GUID; UEFI spec appendix A). The text form
// is the usual lower-case 8-4-4-4-12, as coreboot's smmstoretool prints it (util/smmstoretool/guids.c).

const GUID_TEXT = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

export const GUID_LEN = 16;

/** "d15b327e-ff2d-4fc1-abf6-c12bd08c1359" → its 16 bytes as stored. */
export function guidBytes(text: string): Buffer {
  const m = GUID_TEXT.exec(text);
  if (!m) throw new Error(`not a GUID: "${text}"`);
  const out = Buffer.alloc(GUID_LEN);
  out.writeUInt32LE(Number.parseInt(m[1]!, 16), 0);
  out.writeUInt16LE(Number.parseInt(m[2]!, 16), 4);
  out.writeUInt16LE(Number.parseInt(m[3]!, 16), 6);
  Buffer.from(m[4]! + m[5]!, 'hex').copy(out, 8);
  return out;
}

/** The 16 bytes at `at` as text. */
export function guidText(buf: Uint8Array, at: number): string {
  const b = Buffer.from(buf.buffer, buf.byteOffset + at, GUID_LEN);
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const tail = b.subarray(8).toString('hex');
  return `${h(b.readUInt32LE(0), 8)}-${h(b.readUInt16LE(4), 4)}-${h(b.readUInt16LE(6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}
