// What an image says about itself: version and board, from the uncompressed CBFS text files
// coreboot adds ("revision" = build.h, "build_info", "config" = .config) and, failing those,
// from the printable strings of the image (PC Engines' banner "PC Engines apu2").
import type { CbfsFile } from './cbfs.ts';

export interface ImageIdentity {
  version?: string;
  board?: string;
  /** Which file or scan each answer came from. */
  sources: string[];
}

// config first: its LOCALVERSION is PC Engines' release tag ("v4.14.0.1"), revision only has coreboot's.
const TEXT_FILES = ['config', 'build_info', 'revision'];

function fileText(buf: Buffer, f: CbfsFile): string | undefined {
  if (f.compressed || f.size > 256 * 1024) return undefined;
  const text = buf.subarray(f.dataOffset, f.dataOffset + f.size).toString('latin1');
  // A compressed or binary blob is not text; a few control bytes (trailing NULs) are fine.
  const printable = text.replace(/[^\x09\x0a\x0d\x20-\x7e]/g, '').length;
  return printable >= text.length * 0.9 ? text : undefined;
}

function value(text: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|\\n)\\s*(?:#define\\s+)?(?:CONFIG_|COREBOOT_)?${key}\\s*[:= ]\\s*"?([^"\\n]*)"?`).exec(
    text,
  );
  const v = m?.[1]?.trim();
  return v ? v : undefined;
}

function boardFromConfig(text: string): string | undefined {
  const m = /CONFIG_BOARD_PCENGINES_(APU\d)=y/.exec(text);
  if (m) return `PC Engines ${m[1]!.toLowerCase()}`;
  const vendor = value(text, 'MAINBOARD_VENDOR');
  const part = value(text, 'MAINBOARD_PART_NUMBER');
  if (vendor && part) return part.startsWith(vendor) ? part : `${vendor} ${part}`;
  return undefined;
}

/**
 * The release tag first, in any text file, then coreboot's own version. A real build stores
 * `config` LZMA-compressed (coreboot Makefile.mk: config-compression := LZMA), so its
 * CONFIG_LOCALVERSION is unreadable here; build.h (`revision`, raw) carries it as
 * COREBOOT_EXTRA_VERSION "-v24.08.00.01" (Makefile.mk: COREBOOT_EXTRA_VERSION :=
 * -$(CONFIG_LOCALVERSION); util/genbuild_h/genbuild_h.sh), while `build_info` and
 * COREBOOT_VERSION hold only the upstream `git describe` ("24.08-…"), which names no flavour.
 * Source: Dasharo/coreboot @ pcengines_apu2_v0.9.1-rc1.
 */
const VERSION_KEYS: { key: string; strip?: RegExp }[] = [
  { key: 'LOCALVERSION' },
  { key: 'COREBOOT_EXTRA_VERSION', strip: /^-/ },
  { key: 'COREBOOT_VERSION' },
];

export function identifyImage(buf: Buffer, files: CbfsFile[]): ImageIdentity {
  const id: ImageIdentity = { sources: [] };
  const texts: [string, string][] = [];
  for (const name of TEXT_FILES) {
    const f = files.find((x) => x.name === name);
    const text = f && fileText(buf, f);
    if (text) texts.push([name, text]);
  }
  for (const { key, strip } of VERSION_KEYS) {
    for (const [name, text] of texts) {
      const version = value(text, key)?.replace(strip ?? /(?!)/, '');
      if (!id.version && version) {
        id.version = version;
        id.sources.push(`version from CBFS ${name}`);
      }
    }
  }
  for (const [name, text] of texts) {
    const board = boardFromConfig(text);
    if (!id.board && board) {
      id.board = board;
      id.sources.push(`board from CBFS ${name}`);
    }
  }
  if (!id.board || !id.version) scanStrings(buf, id);
  return id;
}

function scanStrings(buf: Buffer, id: ImageIdentity): void {
  // latin1 keeps offsets 1:1; only uncompressed parts (bootblock, raw files) can match.
  const text = buf.toString('latin1');
  if (!id.board) {
    const m = /PC Engines (apu\d+|APU\d*)/.exec(text);
    if (m) {
      id.board = `PC Engines ${m[1]}`;
      id.sources.push('board from image strings');
    }
  }
  if (!id.version) {
    const m = /(?:BIOS version |coreboot-)(v?\d+\.\d+(?:\.\d+){0,2})/.exec(text);
    if (m) {
      id.version = m[1]!;
      id.sources.push('version from image strings');
    }
  }
}

/** "apu2" and "PC Engines apu2" name the same board; apu2 and apu3 do not. */
export function sameBoard(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/pc ?engines/, '')
      .replace(/[^a-z0-9]/g, '');
  return norm(a) === norm(b);
}

/** PC Engines releases: vMAJOR.MINOR.PATCH.BUILD; compares numerically, undefined if not one. */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (s: string) => /^v?(\d+(?:\.\d+)*)/.exec(s)?.[1]?.split('.').map(Number);
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}
