// Dasharo (coreboot+UEFI) keeps its settings as UEFI variables in the SMMSTORE FMAP region
// (Dasharo/coreboot src/mainboard/pcengines/apu2/vboot-rwa.fmd: SMMSTORE(PRESERVE) 256K). This
// reads and sets them in an image before it is flashed, as coreboot's util/smmstoretool does
// ("smmstoretool coreboot.rom set -g dasharo -n NetworkBoot -t bool -v true"): the region is found
// through the FMAP; a file without FMAP is the region itself (an extracted SMMSTORE, an OVMF_VARS);
// an FMAP without SMMSTORE is an error; an erased region gets a new store spanning all of it
// (release images ship it erased; the firmware formats it on first boot otherwise).
// Unlike smmstoretool, a region that is neither erased nor a sane store is refused, not reformatted.
// NetworkBoot itself (its GUID, attributes and how the boot manager reads it): lib/uefi/dasharo.ts.
// Commits of these sources: docs/real-bench.md, "Dasharo UEFI settings: SMMSTORE".

import { NETWORK_BOOT_ATTRIBUTES, networkBootIn, networkBootVariable } from '../../lib/uefi/dasharo.ts';
import { isErased, VarStoreError, variableIn } from '../../lib/uefi/varstore.ts';
import { formatVarStore, setVariable } from '../../lib/uefi/varstore-write.ts';
import { findFmap, fmapArea } from './fmap.ts';

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

export function readNetworkBoot(image: Buffer): boolean | undefined {
  const a = smmstoreArea(image);
  return networkBootIn(image.subarray(a.offset, a.offset + a.size));
}

/** A new image with NetworkBoot set (created with Dasharo's attributes when absent). */
export function writeNetworkBoot(image: Buffer, on: boolean, attributes: number = NETWORK_BOOT_ATTRIBUTES): Buffer {
  return writeUefiVariable(image, networkBootVariable(on, attributes)).image;
}
