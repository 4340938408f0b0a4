// coreboot / SeaBIOS serial output of a PC Engines apu board. A release build prints only
//   PC Engines apu2 / coreboot build 20190909 / BIOS version v4.10.0.2 / 4080 MB ECC DRAM
//   SeaBIOS (version rel-1.12.1.3-0-g300e8b7) / Press F10 key now for boot menu, N for PXE boot
// a debug build adds the stage banners ("coreboot-v4.10.0.2 ... ramstage starting...") and the
// ACPI tables it writes ("ACPI:    * IVRS at cfeade80"). The setup menu (sortbootorder) lists
// the runtime options ("  v IOMMU - Currently Disabled").
import { type Line, onMatch, toLines } from '../core/text.ts';
import { parseFirmwareSettings } from './banner-settings.ts';

export interface FirmwareBanner {
  board: string | null;
  corebootBuild: string | null;
  /** Firmware version: "v4.10.0.2" from "BIOS version", else from a coreboot stage banner. */
  version: string | null;
  stageBanners: string[];
  seabiosVersion: string | null;
  memoryMiB: number | null;
  ecc: boolean | null;
  acpiTablesWritten: string[];
  /** IVRS written by coreboot ("ACPI:    * IVRS"); false when tables were written without it, or it was skipped. */
  ivrs: boolean | null;
  ivrsErrors: { line: number; text: string }[];
  /** "N for PXE boot" offered on the SeaBIOS prompt; false when the prompt lacks it. */
  pxeOffered: boolean | null;
  bootMenuPrompt: boolean;
  booting: string[];
  ipxe: boolean;
  /** Runtime options from the setup menu, e.g. { IOMMU: false, 'Network/PXE boot': true }. */
  settings: Record<string, boolean>;
  iommuSetting: boolean | null;
}

const STAGE = /\bcoreboot-(\S+)\s.*?\b(bootblock|verstage|romstage|postcar|ramstage|smm) starting/;

export function parseFirmwareLog(input: string | Line[]): FirmwareBanner {
  const lines = typeof input === 'string' ? toLines(input) : input;
  const b: FirmwareBanner = {
    board: null,
    corebootBuild: null,
    version: null,
    stageBanners: [],
    seabiosVersion: null,
    memoryMiB: null,
    ecc: null,
    acpiTablesWritten: [],
    ivrs: null,
    ivrsErrors: [],
    pxeOffered: null,
    bootMenuPrompt: false,
    booting: [],
    ipxe: false,
    settings: {},
    iommuSetting: null,
  };
  let stageVersion: string | null = null;
  let ivrsSkipped = false;
  for (const { n, text } of lines) {
    const t = text.trim();
    const m = /^PC ?Engines (apu\w*)$/i.exec(t);
    if (m) b.board = `PC Engines ${m[1]}`;
    onMatch(/^coreboot build (\d+)/, t, (m) => {
      b.corebootBuild = m[1];
    });
    onMatch(/^BIOS version (v?\d[\w.-]*)/, t, (m) => {
      b.version = m[1];
    });
    onMatch(STAGE, t, (m) => {
      b.stageBanners.push(t);
      stageVersion ??= m[1];
    });
    onMatch(/SeaBIOS \(version ([^)]+)\)/, t, (m) => {
      b.seabiosVersion = m[1];
    });
    onMatch(/^(\d+) MB (ECC )?DRAM$/, t, (m) => {
      b.memoryMiB = Number(m[1]);
      b.ecc = m[2] !== undefined;
    });
    onMatch(/^ACPI:\s+\* ([A-Z0-9]{4})\b/, t, (m) => {
      if (!b.acpiTablesWritten.includes(m[1])) b.acpiTablesWritten.push(m[1]);
    });
    if (/AGESA IVRS table NULL/.test(t)) ivrsSkipped = true;
    if (/acpi_fill_ivrs\w*: |AGESA (?:returned NULL IVRS|IVRS table NULL)/.test(t))
      b.ivrsErrors.push({ line: n, text });
    if (/Press F\d+ key now for boot menu/.test(t)) {
      b.bootMenuPrompt = true;
      b.pxeOffered = /N for PXE boot/.test(t);
    }
    onMatch(/^Booting from (.+?)\.*$/, t, (m) => {
      b.booting.push(m[1]);
    });
    if (/^iPXE \(|iPXE initialising devices/.test(t)) b.ipxe = true;
  }
  if (!b.version && stageVersion) b.version = stageVersion;
  // coreboot prints "* IVRS at ..." before filling it; a fill error leaves an empty table.
  if (b.acpiTablesWritten.includes('IVRS') && !ivrsSkipped && b.ivrsErrors.length === 0) b.ivrs = true;
  else if (b.acpiTablesWritten.length > 0 || ivrsSkipped) b.ivrs = false;
  b.settings = parseFirmwareSettings(lines);
  b.iommuSetting = b.settings.IOMMU ?? null;
  return b;
}
