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

const NOISE_START = /^[^\x20-\x7e]+/;
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
  // coreboot's table list, "ACPI: Writing ACPI tables at ..." to "ACPI: done.": only a list seen
  // whole and undamaged can say that IVRS is missing.
  let acpiList: 'unseen' | 'open' | 'done' = 'unseen';
  let acpiDamaged = false;
  for (const { n, text } of lines) {
    // Line noise (a 0xFF as the UART powers up, a glitch mid-line) arrives as bytes that are not
    // printable ASCII: dropped at the start of the line, and the distinctive banner lines are
    // searched anywhere in it, so one noisy byte never loses the banner and fails the board.
    const t = text.replace(NOISE_START, '').trim();
    const m = /PC ?Engines (apu\w*)/i.exec(t);
    if (m) b.board = `PC Engines ${m[1]}`;
    onMatch(/coreboot build (\d+)/, t, (m) => {
      b.corebootBuild = m[1];
    });
    onMatch(/BIOS version (v?\d[\w.-]*)/, t, (m) => {
      b.version = m[1];
    });
    onMatch(STAGE, t, (m) => {
      b.stageBanners.push(t);
      stageVersion ??= m[1];
    });
    onMatch(/SeaBIOS \(version ([^)]+)\)/, t, (m) => {
      b.seabiosVersion = m[1];
    });
    onMatch(/\b(\d+) MB (ECC )?DRAM\b/, t, (m) => {
      b.memoryMiB = Number(m[1]);
      b.ecc = m[2] !== undefined;
    });
    const table = /ACPI:\s+\* ([A-Z0-9]{4})\b/.exec(t)?.[1] ?? (/\bIVRS at [0-9a-f]{6,}/.test(t) ? 'IVRS' : undefined);
    if (table && !b.acpiTablesWritten.includes(table)) b.acpiTablesWritten.push(table);
    if (/ACPI: Writing ACPI tables/.test(t)) acpiList = 'open';
    else if (acpiList === 'open' && /ACPI: done\./.test(t)) acpiList = 'done';
    else if (acpiList === 'open' && !table && !/^ACPI:\s+\* [A-Z]{4}/.test(t) && /ACPI|\* [A-Z]/.test(t))
      acpiDamaged = true; // "ACPI: FA", "ACPI:    * I": a table line cut by noise, maybe the IVRS one
    if (/AGESA IVRS table NULL/.test(t)) ivrsSkipped = true;
    if (/acpi_fill_ivrs\w*: |AGESA (?:returned NULL IVRS|IVRS table NULL)/.test(t))
      b.ivrsErrors.push({ line: n, text });
    if (/Press F\d+ key now for boot menu/.test(t)) {
      b.bootMenuPrompt = true;
      b.pxeOffered = /N for PXE boot/.test(t);
    }
    onMatch(/\bBooting from (.+?)\.*$/, t, (m) => {
      b.booting.push(m[1]);
    });
    if (/\biPXE \(|iPXE initialising devices/.test(t)) b.ipxe = true;
  }
  if (!b.version && stageVersion) b.version = stageVersion;
  // coreboot prints "* IVRS at ..." before filling it; a fill error leaves an empty table.
  const failed = ivrsSkipped || b.ivrsErrors.length > 0;
  if (b.acpiTablesWritten.includes('IVRS') && !failed) b.ivrs = true;
  else if (failed || (acpiList === 'done' && !acpiDamaged)) b.ivrs = false;
  b.settings = parseFirmwareSettings(lines);
  b.iommuSetting = b.settings.IOMMU ?? null;
  return b;
}
