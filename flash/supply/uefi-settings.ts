// The rig's firmware settings on a Dasharo (coreboot+UEFI) image: network boot is the UEFI variable
// NetworkBoot in the SMMSTORE region (flash/image/smmstore.ts, sources there and in
// docs/real-bench.md); the IOMMU has no switch (always on). CBFS is never touched: these images
// are signed and hashed (vboot, CBFS_VERIFICATION), SMMSTORE lies outside what is.
import { NETWORK_BOOT, networkBootIn, networkBootVariable } from '../../lib/uefi/dasharo.ts';
import { VarStoreError } from '../../lib/uefi/varstore.ts';
import { readNetworkBoot, smmstoreArea, writeUefiVariable } from '../image/smmstore.ts';
import { FlashRefused } from './errors.ts';
import type { FirmwareSettings, SettingsResult } from './settings.ts';

const onOff = (v: boolean | undefined) => (v === undefined ? '(none)' : v ? 'on' : 'off');

/** Sets NetworkBoot as `wanted.pxe` says, in place (size kept); refuses an SMMSTORE it cannot edit. */
export function applyUefiSettings(image: Buffer, wanted: FirmwareSettings): SettingsResult {
  if (wanted.pxe === undefined) return { changed: [] };
  try {
    const before = readNetworkBoot(image);
    if (before === wanted.pxe) return { changed: [] };
    const w = writeUefiVariable(image, networkBootVariable(wanted.pxe));
    w.image.copy(image);
    const changed = [`${NETWORK_BOOT} ${onOff(before)}→${onOff(wanted.pxe)}`];
    return { changed: w.created ? ['SMMSTORE variable store created (region was erased)', ...changed] : changed };
  } catch (e) {
    if (!(e instanceof VarStoreError)) throw e;
    throw new FlashRefused(
      'REFUSED_VARSTORE',
      `cannot set ${NETWORK_BOOT}: SMMSTORE: ${e.message} (flash it as is without pxe= in --settings)`,
    );
  }
}

export interface UefiSettingsRead {
  /** For the session's report: { pxe } when NetworkBoot is set; the IOMMU is no setting here. */
  settings?: FirmwareSettings;
  /** For people: "NetworkBoot=on, IOMMU always on". */
  text: string;
}

/** NetworkBoot in an SMMSTORE region's bytes (as read from the chip or cut from an image). */
export function readUefiSettings(region: Buffer): UefiSettingsRead {
  let pxe: boolean | undefined;
  try {
    pxe = networkBootIn(region);
  } catch (e) {
    if (!(e instanceof VarStoreError)) throw e;
    return { text: `unknown (SMMSTORE: ${e.message})` };
  }
  // Absent: Dasharo's boot manager falls back to PcdDefaultNetworkBootEnable, off on apu builds.
  const nb = pxe === undefined ? 'unset (firmware default)' : pxe ? 'on' : 'off';
  return { settings: pxe === undefined ? undefined : { pxe }, text: `${NETWORK_BOOT}=${nb}, IOMMU always on` };
}

/** The image's own SMMSTORE region, or undefined when it has none. */
export function smmstoreRegionOf(image: Buffer): { offset: number; size: number } | undefined {
  try {
    const a = smmstoreArea(image);
    return a.fromFmap ? { offset: a.offset, size: a.size } : undefined;
  } catch {
    return undefined;
  }
}
