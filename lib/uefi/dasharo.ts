// Dasharo's NetworkBoot setting as a UEFI variable, shared by the flasher (which sets it in an
// image before a real flash) and the twin (whose builder writes it and whose board reads it), so
// both sides agree on what the firmware sees.
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
import { EFI_VARIABLE, variableIn } from './varstore.ts';
import type { NewVariable } from './varstore-write.ts';

export const DASHARO_VARS_GUID = 'd15b327e-ff2d-4fc1-abf6-c12bd08c1359';
export const NETWORK_BOOT = 'NetworkBoot';
export const NETWORK_BOOT_ATTRIBUTES = EFI_VARIABLE.NON_VOLATILE | EFI_VARIABLE.BOOTSERVICE_ACCESS;

/** NetworkBoot as Dasharo's boot manager reads it: undefined when unset (or not 1 byte). */
export function networkBootOf(data: Buffer | undefined): boolean | undefined {
  return data?.length === 1 ? data[0] !== 0 : undefined;
}

/** NetworkBoot in a variable-store region; VarStoreError when the region is not erased nor a store. */
export function networkBootIn(region: Buffer): boolean | undefined {
  return networkBootOf(variableIn(region, NETWORK_BOOT, DASHARO_VARS_GUID));
}

export function networkBootVariable(on: boolean, attributes: number = NETWORK_BOOT_ATTRIBUTES): NewVariable {
  return { name: NETWORK_BOOT, guid: DASHARO_VARS_GUID, data: Buffer.from([on ? 1 : 0]), attributes };
}
