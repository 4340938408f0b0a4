// Dasharo (coreboot+UEFI) keeps its settings as UEFI variables in the SMMSTORE FMAP region
// (Dasharo/coreboot src/mainboard/pcengines/apu2/vboot-rwa.fmd: SMMSTORE(PRESERVE) 256K). This
// reads and sets them in an image before it is flashed, as coreboot's util/smmstoretool does
// ("smmstoretool coreboot.rom set -g dasharo -n NetworkBoot -t bool -v true"): the region is found
// through the FMAP; a file without FMAP is the region itself (an extracted SMMSTORE, an OVMF_VARS);
// an FMAP without SMMSTORE is an error; an erased region gets a new store spanning all of it
// (release images ship it erased; the firmware formats it on first boot otherwise).
// Unlike smmstoretool, a region that is neither erased nor a sane store is refused, not reformatted.
//
// NetworkBoot: 1-byte BOOLEAN in Dasharo's namespace gDasharoSystemFeaturesGuid
// d15b327e-ff2d-4fc1-abf6-c12bd08c1359 (DasharoModulePkg.dec; smmstoretool alias "dasharo"). The
// boot manager registers "iPXE Network Boot" when it is non-zero and exactly 1 byte, and when it
// is absent only if PcdDefaultNetworkBootEnable (off on apu) — Dasharo/edk2
// DasharoPayloadPkg/Library/PlatformBootManagerLib/PlatformBootManager.c at 9c5dd7ba, the edk2
// revision Dasharo/coreboot pcengines_apu2_v0.9.1-rc1 builds. Dasharo's own code writes it with
// NV|BS (DasharoModulePkg/Library/DasharoVariablesLib/DasharoVariablesLib.c GetVariableInfo: only
// SerialRedirection* add RT), and its setup menu rewrites it with those attributes — edk2 refuses a
// rewrite with other attributes (Variable.c "Rewritten a preexisting variable ... with different
// attributes"), so NV|BS is the default here; smmstoretool writes NV|BS|RT (vs.c vs_new_var).
// Commits of these sources: docs/real-bench.md, "Dasharo UEFI settings: SMMSTORE".
import { findFmap, fmapArea } from './fmap.ts';
import { EFI_VARIABLE, findVariable, isErased, parseVarStore, VarStoreError } from './uefi-varstore.ts';
import { formatVarStore, setVariable } from './uefi-varstore-write.ts';

export const DASHARO_VARS_GUID = 'd15b327e-ff2d-4fc1-abf6-c12bd08c1359';
export const NETWORK_BOOT = 'NetworkBoot';
export const NETWORK_BOOT_ATTRIBUTES = EFI_VARIABLE.NON_VOLATILE | EFI_VARIABLE.BOOTSERVICE_ACCESS;

export interface SmmstoreArea {
  offset: number;
  size: number;
  /** false: the image has no FMAP and is taken as the region itself (smmstoretool's rule). */
  fromFmap: boolean;
}

export function smmstoreArea(image: Buffer): SmmstoreArea {
  const fmap = findFmap(image);
  if (!fmap) return { offset: 0, size: image.length, fromFmap: false };
  const a = fmapArea(fmap, 'SMMSTORE');
  if (!a) throw new VarStoreError('the image has an FMAP but no SMMSTORE region');
  return { offset: a.offset, size: a.size, fromFmap: true };
}

/** A variable's data as the firmware would read it; undefined when absent or the region is erased. */
export function readUefiVariable(image: Buffer, name: string, guid: string): Buffer | undefined {
  const a = smmstoreArea(image);
  return variableIn(image.subarray(a.offset, a.offset + a.size), name, guid);
}

/** The same for a region read on its own (e.g. the SMMSTORE range read back from the chip). */
export function variableIn(region: Buffer, name: string, guid: string): Buffer | undefined {
  if (isErased(region)) return undefined;
  return findVariable(parseVarStore(region), name, guid)?.data;
}

export interface VariableWrite {
  image: Buffer;
  /** The region was erased and now holds a new store. */
  created: boolean;
  /** The variable's data before, if it was set. */
  previous?: Buffer;
}

/** Returns a new image with the variable set; nothing outside the SMMSTORE region changes. */
export function writeUefiVariable(
  image: Buffer,
  v: { name: string; guid: string; data: Buffer; attributes: number },
): VariableWrite {
  const a = smmstoreArea(image);
  const region = image.subarray(a.offset, a.offset + a.size);
  const created = isErased(region);
  const r = setVariable(created ? formatVarStore(a.size) : region, v);
  const out = Buffer.from(image);
  r.region.copy(out, a.offset);
  return { image: out, created, previous: r.previous?.data };
}

/** NetworkBoot as Dasharo's boot manager reads it: undefined when unset (or not 1 byte). */
export function networkBootOf(data: Buffer | undefined): boolean | undefined {
  return data?.length === 1 ? data[0] !== 0 : undefined;
}

export function readNetworkBoot(image: Buffer): boolean | undefined {
  return networkBootOf(readUefiVariable(image, NETWORK_BOOT, DASHARO_VARS_GUID));
}

/** A new image with NetworkBoot set (created with Dasharo's attributes when absent). */
export function writeNetworkBoot(image: Buffer, on: boolean, attributes: number = NETWORK_BOOT_ATTRIBUTES): Buffer {
  return writeUefiVariable(image, networkBootVariable(on, attributes)).image;
}

export function networkBootVariable(on: boolean, attributes: number = NETWORK_BOOT_ATTRIBUTES) {
  return { name: NETWORK_BOOT, guid: DASHARO_VARS_GUID, data: Buffer.from([on ? 1 : 0]), attributes };
}
