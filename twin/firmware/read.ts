// What the twin's emulated coreboot does with the flash chip at power-on: find the FMAP, the
// CBFS, the payload and the settings. Anything it cannot use makes the board a brick.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec } from '../../lib/core/exec.ts';
import { type BootorderSettings, parseBootorder } from './bootorder.ts';
import {
  CBFS_EFI_ROM,
  CBFS_IPXE_KERNEL,
  CBFS_IPXE_SCRIPT,
  CBFS_OVMF_CODE,
  CBFS_PAYLOAD,
  CBFS_PXE_ROM,
} from './cbfs-names.ts';
import type { FirmwareLayout } from './layout.ts';
import { CBFS_QUIRKS, type PciLayout, parseQuirks, pciLayoutFor, type Quirk } from './quirks.ts';
import { parseRevision, type Revision } from './revision.ts';
import { networkBootEnabled } from './smmstore.ts';

export type FirmwareReading =
  | ({
      valid: true;
      layout: FirmwareLayout;
      settings: BootorderSettings;
      /** SeaBIOS taken out of CBFS, for QEMU's -bios; on Dasharo UEFI, OVMF's code volume. */
      payload: string;
      /**
       * Dasharo UEFI (its flash map has SMMSTORE and RW_SECTION_A): the EFI iPXE ROM and its script
       * from CBFS. `settings.pxe` is then the UEFI variable NetworkBoot, `settings.iommu` always on.
       */
      uefi?: { efiRom: string; script: string };
      /** iPXE option ROM from CBFS (genroms/pxe.rom), when present. */
      pxeRom?: string;
      /** iPXE with its embedded script (PC Engines' menu), when present: preferred to pxeRom. */
      ipxeMenu?: { kernel: string; script: string };
      /** Twin-only behaviours (CBFS iommu-lab/quirks) and the PCI layout they choose. */
      quirks: Quirk[];
      pciLayout: PciLayout;
    } & Revision)
  | { valid: false; reason: string };

const FMAP_SIGNATURE = Buffer.from('__FMAP__', 'ascii');

export async function readTwinFirmware(file: string, workDir: string): Promise<FirmwareReading> {
  if (!existsSync(file)) return { valid: false, reason: `no flash image at ${file}` };
  const image = await readFile(file);
  if (image.indexOf(FMAP_SIGNATURE) < 0) return { valid: false, reason: 'no FMAP signature' };
  await mkdir(workDir, { recursive: true });
  const cbfs = (...args: string[]) => exec(['cbfstool', file, ...args]);
  const listing = await cbfs('print', '-r', 'COREBOOT');
  if (listing.exitCode !== 0) return { valid: false, reason: `no CBFS: ${firstLine(listing.stderr)}` };
  const extract = async (name: string): Promise<string | undefined> => {
    const out = join(workDir, name.replace(/\//g, '_'));
    const r = await cbfs('extract', '-r', 'COREBOOT', '-n', name, '-f', out);
    return r.exitCode === 0 ? out : undefined;
  };
  const regions = (await cbfs('layout', '-w')).stdout;
  if (/'SMMSTORE'/.test(regions) && /'FW_MAIN_A'/.test(regions) && !/'BOOTORDER'/.test(regions))
    return readUefi(file, workDir, extract);
  const payload = await extract(CBFS_PAYLOAD);
  if (!payload) return { valid: false, reason: `no payload ${CBFS_PAYLOAD} in CBFS` };
  const bios = await readFile(payload);
  // A legacy BIOS image ends with the reset vector: a far jump (0xEA) 16 bytes from the top.
  if (bios.length < 65536 || bios.length % 65536 !== 0 || bios[bios.length - 16] !== 0xea) {
    return { valid: false, reason: 'payload has no reset vector' };
  }
  const revisionFile = await extract('revision');
  const revision = parseRevision(revisionFile ? await readFile(revisionFile, 'latin1') : '');
  const layout: FirmwareLayout = regions.includes("'BOOTORDER'") ? 'fmap' : 'cbfs';
  let bootorder: Buffer | undefined;
  if (layout === 'fmap') {
    const out = join(workDir, 'BOOTORDER');
    if ((await cbfs('read', '-r', 'BOOTORDER', '-f', out)).exitCode === 0) bootorder = await readFile(out);
  } else {
    const f = await extract('bootorder');
    if (f) bootorder = await readFile(f);
  }
  // No bootorder: coreboot falls back to its defaults (every option off).
  const settings = bootorder ? parseBootorder(bootorder) : { pxe: false, iommu: false };
  const pxeRom = await extract(CBFS_PXE_ROM);
  const ipxeKernel = await extract(CBFS_IPXE_KERNEL);
  const ipxeScript = await extract(CBFS_IPXE_SCRIPT);
  const ipxeMenu = ipxeKernel && ipxeScript ? { kernel: ipxeKernel, script: ipxeScript } : undefined;
  const quirksFile = await extract(CBFS_QUIRKS);
  const quirks = quirksFile ? parseQuirks(await readFile(quirksFile, 'latin1')) : [];
  return {
    valid: true,
    layout,
    settings: { pxe: settings.pxe, iommu: settings.iommu },
    payload,
    pxeRom,
    ipxeMenu,
    quirks,
    pciLayout: pciLayoutFor(quirks),
    ...revision,
  };
}

/**
 * Dasharo UEFI: no bootorder; the IOMMU is always on (every apu devicetree.cb has `device ref
 * iommu on`), network boot is the NetworkBoot variable in SMMSTORE. The payload must be a firmware
 * volume ("_FVH" at offset 40), or the board stays silent like a bricked one.
 */
async function readUefi(
  file: string,
  workDir: string,
  extract: (name: string) => Promise<string | undefined>,
): Promise<FirmwareReading> {
  const payload = await extract(CBFS_OVMF_CODE);
  if (!payload) return { valid: false, reason: `no payload ${CBFS_OVMF_CODE} in CBFS` };
  const fv = await readFile(payload);
  if (fv.toString('latin1', 40, 44) !== '_FVH') return { valid: false, reason: 'payload is not a firmware volume' };
  const efiRom = await extract(CBFS_EFI_ROM);
  const script = await extract(CBFS_IPXE_SCRIPT);
  if (!efiRom || !script) return { valid: false, reason: `no ${CBFS_EFI_ROM} or ${CBFS_IPXE_SCRIPT} in CBFS` };
  const revisionFile = await extract('revision');
  const revision = parseRevision(revisionFile ? await readFile(revisionFile, 'latin1') : '');
  const store = join(workDir, 'SMMSTORE');
  const read = await exec(['cbfstool', file, 'read', '-r', 'SMMSTORE', '-f', store]);
  const networkBoot = read.exitCode === 0 && networkBootEnabled(await readFile(store));
  return {
    valid: true,
    layout: 'fmap',
    settings: { iommu: true, pxe: networkBoot },
    payload,
    uefi: { efiRom, script },
    quirks: [],
    pciLayout: pciLayoutFor([]),
    ...revision,
  };
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
