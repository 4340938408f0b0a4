// Test images made with the real coreboot tools (cbfstool, fmaptool from coreboot-utils), in
// both bootorder layouts: CBFS file "bootorder" (PC Engines before v4.14.0.1) and FMAP region
// BOOTORDER (v4.14.0.1 on). They carry a `config` like coreboot's so identification has text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestImageOptions {
  layout: 'cbfs' | 'fmap';
  size?: number;
  /** e.g. "apu2"; becomes CONFIG_BOARD_PCENGINES_APU2=y. */
  board?: string;
  version?: string;
  /** Knob lines of the bootorder; null = image without a bootorder. */
  knobs?: Record<string, string> | null;
  /** Add a SHA-256 hash attribute to the CBFS bootorder file. */
  hash?: boolean;
  /** Another flash map (layout 'fmap'), e.g. Dasharo UEFI's (UEFI_FMD); its CBFS region is COREBOOT. */
  fmd?: string;
  /** More `config` lines, e.g. CONFIG_PAYLOAD_EDK2=y. */
  config?: string[];
}

/** Dasharo (coreboot+UEFI)'s apu2 map, shrunk to the regions that tell it (Dasharo/coreboot vboot-rwa.fmd). */
export const UEFI_FMD = `FLASH 8M {
	BIOS@0x0 0x800000 {
		SMMSTORE@0x0 0x40000
		RW_NVRAM@0x40000 0x1000
		RW_SECTION_A@0x41000 0x100000
		FMAP@0x141000 0x800
		COREBOOT(CBFS)@0x141800 0x6be800
	}
}
`;

const PATHS = [
  '/pci@i0cf8/usb@10/usb-*@1',
  '/pci@i0cf8/*@14,7',
  '/pci@i0cf8/*@11/drive@0/disk@0',
  '/rom@genroms/pxe.rom',
];
export const DEFAULT_KNOBS = { pxen: '0', scon: '1', usben: '1', iommu: '0' };

export function bootorderFile(knobs: Record<string, string>): Buffer {
  const text = [...PATHS, ...Object.entries(knobs).map(([k, v]) => k + v)].join('\n') + '\n';
  const out = Buffer.alloc(4096, 0);
  out.write(text, 'latin1');
  return out;
}

const FMD = `FLASH 8M {
	BIOS@0x0 0x800000 {
		RW_MRC_CACHE@0x0 0x10000
		BOOTORDER@0x10000 0x1000
		RW_VPD@0x11000 0x4000
		FMAP@0x20000 0x800
		COREBOOT(CBFS)@0x20800 0x7df800
	}
}
`;

export function buildTestImage(opts: TestImageOptions): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'iommu-lab-img-'));
  try {
    const rom = join(dir, 'coreboot.rom');
    const run = (...args: string[]) => execFileSync('cbfstool', [rom, ...args], { stdio: 'pipe' });
    const add = (name: string, data: Buffer, ...extra: string[]) => {
      const f = join(dir, name.replace(/\W/g, '_'));
      writeFileSync(f, data);
      run('add', '-f', f, '-n', name, '-t', 'raw', ...extra);
    };
    if (opts.layout === 'fmap') {
      writeFileSync(join(dir, 'board.fmd'), opts.fmd ?? FMD);
      execFileSync('fmaptool', [join(dir, 'board.fmd'), join(dir, 'board.fmap')], { stdio: 'pipe' });
      run('create', '-M', join(dir, 'board.fmap'), '-r', 'COREBOOT');
    } else {
      run('create', '-m', 'x86', '-s', String(opts.size ?? 8 * 1024 * 1024));
    }
    const board = opts.board ?? 'apu2';
    const version = opts.version ?? (opts.layout === 'fmap' ? 'v4.19.0.1' : 'v4.13.0.6');
    const config = [
      `CONFIG_LOCALVERSION="${version}"`,
      'CONFIG_VENDOR_PCENGINES=y',
      `CONFIG_BOARD_PCENGINES_${board.toUpperCase()}=y`,
      `CONFIG_MAINBOARD_PART_NUMBER="${board}"`,
      ...(opts.config ?? []),
      '',
    ].join('\n');
    add('config', Buffer.from(config));
    add('revision', Buffer.from(`#define COREBOOT_VERSION "${version.replace(/^v/, '')}"\n`));
    const knobs = opts.knobs === undefined ? DEFAULT_KNOBS : opts.knobs;
    if (knobs && !opts.fmd?.includes('SMMSTORE')) {
      const bo = bootorderFile(knobs);
      if (opts.layout === 'fmap') {
        writeFileSync(join(dir, 'bo.bin'), bo);
        run('write', '-r', 'BOOTORDER', '-f', join(dir, 'bo.bin'));
        add('bootorder_def', bootorderFile(DEFAULT_KNOBS));
      } else add('bootorder', bo, '-a', '0x1000', ...(opts.hash ? ['-A', 'sha256'] : []));
    }
    return readFileSync(rom);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
