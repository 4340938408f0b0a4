// Builds an 8 MiB apu2-style flash image with Debian's fmaptool/cbfstool: an FMAP, a CBFS
// holding the SeaBIOS payload, iPXE as genroms/pxe.rom, coreboot's `revision` file and a
// PC Engines `bootorder` (in CBFS or in the BOOTORDER region, by layout).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../lib/core/errors.ts';
import { check } from '../../lib/core/exec.ts';
import { buildBootorder } from './bootorder.ts';
import { buildUefiImage } from './build-uefi.ts';
import { CBFS_IPXE_KERNEL, CBFS_IPXE_SCRIPT, CBFS_PAYLOAD, CBFS_PXE_ROM } from './cbfs-names.ts';
import { garbled } from './garble.ts';
import {
  DASHARO_SEABIOS_FMD,
  type FirmwareLayout,
  FLASH_SIZE,
  flashMapDescriptor,
  layoutForVersion,
} from './layout.ts';
import { CBFS_QUIRKS, quirksText } from './quirks.ts';
import { revisionText } from './revision.ts';

const DEFAULT_SEABIOS = '/usr/share/seabios/bios-256k.bin';
const DEFAULT_PXE_ROM = '/usr/lib/ipxe/qemu/pxe-e1000e.rom';
/** The flavours the twin can build (what each differs in from the real one: docs/twin.md). */
export type TwinFlavour = 'pcengines' | 'dasharo-seabios' | 'dasharo-uefi';
export const TWIN_FLAVOURS: readonly TwinFlavour[] = ['pcengines', 'dasharo-seabios', 'dasharo-uefi'];
const DEFAULT_VERSION: Record<TwinFlavour, string> = {
  pcengines: 'v4.19.0.1-twin',
  // Dasharo/dasharo-pq 24.08.00.01 configs: CONFIG_LOCALVERSION="v24.08.00.01".
  'dasharo-seabios': 'v24.08.00.01',
  // The latest Dasharo (coreboot+UEFI) release for apu2 (Dasharo/docs releases_uefi.md, 2025-11-27).
  'dasharo-uefi': 'v0.9.1',
};

export { CBFS_IPXE_KERNEL, CBFS_IPXE_SCRIPT, CBFS_PAYLOAD, CBFS_PXE_ROM } from './cbfs-names.ts';

const DEFAULT_IPXE_KERNEL = '/boot/ipxe.lkrn';
/** pcengines/coreboot v4.14.0.2 payloads/external/iPXE/menu.ipxe, byte for byte. */
export const PCENGINES_MENU = new URL('./pcengines-menu.ipxe', import.meta.url);
/**
 * Dasharo/dasharo-blobs dasharo/dasharo.ipxe at d4e4dca12bdd370842bd830847e64d982c8be120, byte for
 * byte: the embedded script of Dasharo SeaBIOS v24.08.00.01 (dasharo-pq patch 0087). It runs
 * unchanged on the twin; its DTS and netboot.xyz items need HTTPS and the internet, which the
 * twin's iPXE and network lack, so they fail and `goto MENU` (docs/twin.md).
 */
export const DASHARO_MENU = new URL('./dasharo.ipxe', import.meta.url);
const MENU_OF: Record<TwinFlavour, URL> = {
  pcengines: PCENGINES_MENU,
  'dasharo-seabios': DASHARO_MENU,
  // Dasharo UEFI's iPXE embeds the same script: CONFIG_IPXE_SCRIPT in config.pcengines_uefi_apu2.
  'dasharo-uefi': DASHARO_MENU,
};

export interface TwinFirmwareOptions {
  /** Whose build: its sign-on, flash map and iPXE script. Default pcengines. */
  flavour?: TwinFlavour;
  /** Default off, like a PC Engines release. */
  iommu?: boolean;
  /** Default off, like a PC Engines release; on dasharo-uefi the UEFI variable NetworkBoot. */
  pxe?: boolean;
  version?: string;
  /** Default: by version (BOOTORDER region from v4.14.0.1 on). */
  layout?: FirmwareLayout;
  /** Produce something that is not valid firmware (a bricked board prints nothing). */
  corrupt?: boolean;
  /** The twin's negative control: the passed-through NIC's DMA is not translated under its own ID. */
  leakyIommu?: boolean;
  out: string;
  seabios?: string;
  pxeRom?: string;
  /** Fixed build date for reproducible images; Dasharo's builds are timeless (1970-01-01). */
  built?: Date;
  /** The flavour's embedded iPXE menu (default); false: an iPXE that offers Ctrl-B instead. */
  ipxeMenu?: boolean;
  ipxeKernel?: string;
}

export interface BuiltFirmware {
  path: string;
  flavour: TwinFlavour;
  layout: FirmwareLayout;
  version: string;
  iommu: boolean;
  pxe: boolean;
  corrupt: boolean;
  leakyIommu: boolean;
  ipxeMenu: boolean;
}

export async function buildTwinFirmware(opts: TwinFirmwareOptions): Promise<BuiltFirmware> {
  const flavour = opts.flavour ?? 'pcengines';
  if (!TWIN_FLAVOURS.includes(flavour))
    throw new UsageError(`twin firmware: flavour "${flavour}" is not one of ${TWIN_FLAVOURS.join(', ')}`);
  const version = opts.version ?? DEFAULT_VERSION[flavour];
  if (!/^[\w.+-]{1,64}$/.test(version)) throw new UsageError(`bad firmware version "${version}"`);
  if (flavour === 'dasharo-uefi') return buildUefi(opts, version);
  if (flavour === 'dasharo-seabios' && opts.layout === 'cbfs')
    throw new UsageError(
      'twin firmware: Dasharo SeaBIOS keeps bootorder in the FMAP region BOOTORDER (no cbfs layout)',
    );
  const layout = flavour === 'dasharo-seabios' ? 'fmap' : (opts.layout ?? layoutForVersion(version));
  // Dasharo builds with BUILD_TIMELESS: coreboot's build date is the epoch, "coreboot build 19700101".
  const built = opts.built ?? (flavour === 'dasharo-seabios' ? new Date(0) : new Date());
  const seabios = opts.seabios ?? DEFAULT_SEABIOS;
  const pxeRom = opts.pxeRom ?? DEFAULT_PXE_ROM;
  if (!existsSync(seabios)) throw new UsageError(`SeaBIOS payload not found: ${seabios} (apt-get install seabios)`);
  const ipxeMenu = opts.ipxeMenu ?? true;
  const ipxeKernel = opts.ipxeKernel ?? DEFAULT_IPXE_KERNEL;
  if (ipxeMenu && !existsSync(ipxeKernel))
    throw new UsageError(
      `iPXE kernel not found: ${ipxeKernel} (apt-get install ipxe), needed for the embedded iPXE menu`,
    );
  const settings = { iommu: opts.iommu ?? false, pxe: opts.pxe ?? false };
  const out = resolve(opts.out);
  const work = await mkdtemp(join(tmpdir(), 'twin-fw-'));
  try {
    const rom = join(work, 'image.rom');
    await writeFile(
      join(work, 'board.fmd'),
      flavour === 'dasharo-seabios' ? DASHARO_SEABIOS_FMD : flashMapDescriptor(layout),
    );
    await check(['fmaptool', join(work, 'board.fmd'), join(work, 'board.fmap')]);
    await check(['cbfstool', rom, 'create', '-M', join(work, 'board.fmap')]);
    const add = (file: string, name: string, extra: string[] = []) =>
      check(['cbfstool', rom, 'add', '-r', 'COREBOOT', '-f', file, '-n', name, '-t', 'raw', ...extra]);
    await writeFile(join(work, 'revision'), revisionText(version, built));
    await add(join(work, 'revision'), 'revision');
    await writeFile(join(work, 'bootorder'), buildBootorder(settings));
    if (layout === 'cbfs') await add(join(work, 'bootorder'), 'bootorder', ['-a', '0x1000']);
    else await check(['cbfstool', rom, 'write', '-r', 'BOOTORDER', '-f', join(work, 'bootorder')]);
    if (existsSync(pxeRom)) await add(pxeRom, CBFS_PXE_ROM);
    if (ipxeMenu) {
      await add(ipxeKernel, CBFS_IPXE_KERNEL);
      await add(fileURLToPath(MENU_OF[flavour]), CBFS_IPXE_SCRIPT);
    }
    if (opts.leakyIommu) {
      await writeFile(join(work, 'quirks'), quirksText(['leaky-iommu']));
      await add(join(work, 'quirks'), CBFS_QUIRKS);
    }
    await add(opts.corrupt ? await garbled(seabios, work) : seabios, CBFS_PAYLOAD);
    await publish(rom, out);
    return {
      path: out,
      flavour,
      layout,
      version,
      ...settings,
      corrupt: Boolean(opts.corrupt),
      leakyIommu: Boolean(opts.leakyIommu),
      ipxeMenu,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Dasharo UEFI: its own flash map and settings store (build-uefi.ts). The IOMMU has no switch on
 * it (always on, IVRS always written), so asking for it off is refused, as `flash` refuses it.
 */
async function buildUefi(opts: TwinFirmwareOptions, version: string): Promise<BuiltFirmware> {
  if (opts.iommu === false)
    throw new UsageError('twin firmware: Dasharo UEFI has no IOMMU switch (always on); drop --iommu off');
  if (opts.layout) throw new UsageError('twin firmware: Dasharo UEFI has one flash map (vboot-rwa.fmd); drop --layout');
  if (opts.leakyIommu || opts.ipxeMenu === false)
    throw new UsageError('twin firmware: --leaky-iommu and --ipxe-menu off are not built for Dasharo UEFI');
  const out = resolve(opts.out);
  const work = await mkdtemp(join(tmpdir(), 'twin-fw-'));
  try {
    const rom = join(work, 'image.rom');
    const networkBoot = opts.pxe ?? false;
    await buildUefiImage({
      rom,
      work,
      version,
      built: opts.built ?? new Date(),
      networkBoot,
      corrupt: Boolean(opts.corrupt),
      script: DASHARO_MENU,
    });
    await publish(rom, out);
    return {
      path: out,
      flavour: 'dasharo-uefi',
      layout: 'fmap',
      version,
      iommu: true,
      pxe: networkBoot,
      corrupt: Boolean(opts.corrupt),
      leakyIommu: false,
      ipxeMenu: true,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The built image to its place, once cbfstool is known to have made a whole chip's worth. */
async function publish(rom: string, out: string): Promise<void> {
  const image: Buffer = await readFile(rom);
  if (image.length !== FLASH_SIZE) throw new Error(`cbfstool made ${image.length} bytes, expected ${FLASH_SIZE}`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, image);
}
