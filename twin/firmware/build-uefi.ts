// The twin's Dasharo (coreboot+UEFI) image: Dasharo's flash map (vboot-rwa.fmd), its version where
// the real build keeps it (build.h `revision`, RO_FRID/RW_FWID_A), an SMMSTORE holding a UEFI
// variable store (NetworkBoot only when asked), and, in CBFS, what the twin boots instead of
// Dasharo's edk2: Debian's OVMF, the EFI iPXE option ROM and Dasharo's dasharo.ipxe.
// Real vs twin: docs/twin.md, "Dasharo UEFI on the twin".
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../lib/core/errors.ts';
import { check } from '../../lib/core/exec.ts';
import { CBFS_EFI_ROM, CBFS_IPXE_SCRIPT, CBFS_OVMF_CODE } from './cbfs-names.ts';
import { garbled } from './garble.ts';
import { DASHARO_UEFI_FMD } from './layout.ts';
import { dasharoRevisionText } from './revision.ts';
import { smmstoreRegion } from './smmstore.ts';

export const DEFAULT_OVMF_CODE = '/usr/share/OVMF/OVMF_CODE.fd';
export const DEFAULT_EFI_ROM = '/usr/lib/ipxe/qemu/efi-e1000e.rom';
/** SMMSTORE(PRESERVE) 256K in vboot-rwa.fmd. */
export const SMMSTORE_SIZE = 256 * 1024;
/**
 * coreboot's own version in build.h and in the FWIDs: Dasharo v0.9.1 is built from Dasharo/coreboot
 * 217612e6, a rebase on coreboot 24.12 (Dasharo/docs releases_uefi.md); the real value is that
 * commit's `git describe`, which the twin does not know: it says so.
 */
export const TWIN_COREBOOT_VERSION = '24.12-twin';

export interface UefiImageOptions {
  rom: string;
  work: string;
  version: string;
  built: Date;
  /** The UEFI variable NetworkBoot=true in SMMSTORE (Dasharo's default: absent, i.e. off). */
  networkBoot: boolean;
  corrupt: boolean;
  ovmfCode?: string;
  efiRom?: string;
  script: URL;
}

export async function buildUefiImage(o: UefiImageOptions): Promise<void> {
  const ovmf = o.ovmfCode ?? DEFAULT_OVMF_CODE;
  const efiRom = o.efiRom ?? DEFAULT_EFI_ROM;
  if (!existsSync(ovmf)) throw new UsageError(`OVMF not found: ${ovmf} (apt-get install ovmf)`);
  if (!existsSync(efiRom)) throw new UsageError(`EFI iPXE ROM not found: ${efiRom} (apt-get install ipxe-qemu)`);
  const fmd = join(o.work, 'board.fmd');
  await writeFile(fmd, DASHARO_UEFI_FMD);
  await check(['fmaptool', fmd, join(o.work, 'board.fmap')]);
  await check(['cbfstool', o.rom, 'create', '-M', join(o.work, 'board.fmap'), '-r', 'COREBOOT,FW_MAIN_A']);
  const add = (file: string, name: string) =>
    check(['cbfstool', o.rom, 'add', '-r', 'COREBOOT', '-f', file, '-n', name, '-t', 'raw']);
  const write = (region: string, file: string, extra: string[] = []) =>
    check(['cbfstool', o.rom, 'write', '-r', region, '-f', file, ...extra]);
  const revision = join(o.work, 'revision');
  await writeFile(revision, dasharoRevisionText(o.version, TWIN_COREBOOT_VERSION, o.built));
  await add(revision, 'revision');
  await add(efiRom, CBFS_EFI_ROM);
  await add(fileURLToPath(o.script), CBFS_IPXE_SCRIPT);
  await add(o.corrupt ? await garbled(ovmf, o.work) : ovmf, CBFS_OVMF_CODE);
  // vboot's fwid.region: VBOOT_FWID_MODEL "$(MAINBOARD_VENDOR)_$(MAINBOARD_PART_NUMBER)" then
  // VBOOT_FWID_VERSION ".$(KERNELVERSION)", NUL, written with fill 0 (src/security/vboot/Makefile.mk).
  const fwid = join(o.work, 'fwid');
  await writeFile(fwid, `PC Engines_apu2.${TWIN_COREBOOT_VERSION}\0`, 'latin1');
  await write('RO_FRID', fwid, ['-u', '-i', '0']);
  await write('RW_FWID_A', fwid, ['-u', '-i', '0']);
  const smmstore = join(o.work, 'smmstore');
  await writeFile(smmstore, smmstoreRegion(SMMSTORE_SIZE, o.networkBoot));
  await write('SMMSTORE', smmstore);
}
