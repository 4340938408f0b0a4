// Shared text cleanup for every parser: serial captures carry CRLF, ANSI colours, stray
// control bytes, and lines glued together when two producers (SeaBIOS, Xen, dom0) share
// one UART. Parsers work on clean lines that still know their original line number.

export interface Line {
  /** 1-based line number in the original text. */
  n: number;
  text: string;
  /**
   * Whose literals the line holds, when a caller has checked (lib/analyze/line-marks.ts): the HOLDS
   * bits of the analyzers with a literal in it, 0 for none. An analyzer whose bit is clear may
   * skip the line without its own gate; unset means "not checked".
   */
  holds?: number;
}

/** The analyzers that read Line.holds, one bit each. */
export const HOLDS = {
  /** lib/diagnose/table.ts, the DIAGNOSES rows. */
  diagnose: 1,
  /** lib/xen/xen-log.ts LINE_PATTERNS. */
  xenLog: 2,
  /** lib/xen/amd-vi-messages.ts. */
  amdVi: 4,
  /** lib/analyze/detect.ts TESTS. */
  detect: 8,
  /** lib/xen/no-irq.ts, lib/xen/acpi-tables.ts, lib/analyze/boots.ts. */
  other: 16,
} as const;

/** Whether a checked line holds none of the literals of `bit` (false when not checked). */
export function holdsNone(line: Line, bit: number): boolean {
  return line.holds !== undefined && (line.holds & bit) === 0;
}

// CSI (colours, cursor moves), OSC (titles) and two-byte escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// Control bytes other than tab; CR and LF are handled before this runs.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
// A Xen line that starts in the middle of another line (e.g. "Booting from ROM..(XEN) Xen version").
const GLUED = /(?<=.)(?=\(XEN\) )/g;

function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

export function cleanLine(s: string): string {
  return stripAnsi(s).replace(CONTROL, '').replace(/\s+$/, '');
}

/** Split text into clean lines. CRLF and lone CR both end a line. */
export function toLines(text: string): Line[] {
  const out: Line[] = [];
  const raw = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < raw.length; i++) {
    const clean = cleanLine(raw[i]);
    if (!clean.includes('(XEN) ')) {
      out.push({ n: i + 1, text: clean });
      continue;
    }
    for (const part of clean.split(GLUED)) out.push({ n: i + 1, text: part.replace(/\s+$/, '') });
  }
  // A trailing newline yields one empty last element; it is not a line.
  if (out.length > 0 && out[out.length - 1].text === '' && /[\r\n]$/.test(text)) out.pop();
  return out;
}

// "(XEN) ", "(XEN) [    1.234567] ", "(XEN) [2024-01-01 10:00:00] ", "(XEN) [000000a1b2c3d4e5] ".
const XEN_PREFIX = /^\(XEN\) ?(?:\[(?:\s*[0-9][0-9.:\- ]*|[0-9a-f]{16})\] ?)?/;

/**
 * `s.startsWith('(XEN)')` by character codes: every analyzer asks it of every line, and the
 * builtin call was a tenth of parsing a Xen log (a code past the end is NaN: false).
 */
export function isXenLine(s: string): boolean {
  return (
    s.charCodeAt(0) === 0x28 &&
    s.charCodeAt(1) === 0x58 &&
    s.charCodeAt(2) === 0x45 &&
    s.charCodeAt(3) === 0x4e &&
    s.charCodeAt(4) === 0x29
  );
}

/** The message of a Xen console line without "(XEN) " and any timestamp; other lines unchanged. */
export function xenMessage(s: string): string {
  if (!isXenLine(s)) return s;
  // Most Xen lines have no timestamp: "(XEN) msg" or "(XEN)msg" are cut without the regex (a
  // fifth of a Xen log's parse time went to it); a "[" after the prefix may open one.
  const c = s.charCodeAt(5);
  if (c === 0x20) {
    if (s.charCodeAt(6) !== 0x5b) return s.slice(6);
  } else if (c !== 0x5b) return s.slice(5);
  return s.replace(XEN_PREFIX, '');
}

/** Linux printk timestamp "[   12.345678] ". */
const KERNEL_TS = /^\[\s*\d+\.\d+\]\s?/;

export function kernelMessage(s: string): string {
  return s.replace(KERNEL_TS, '');
}

export function isKernelLine(s: string): boolean {
  // Asked of every line that is not Xen's: a first character other than "[" needs no regex.
  return s.charCodeAt(0) === 0x5b && KERNEL_TS.test(s);
}

// A line that starts like a message of its own (Xen, kernel, libxl, a shell prompt) is not
// the rest of the line before it.
const OWN_START = /^(?:\(XEN\)|\(d\d+\)|\[\s*\d+\.\d+\]|libxl: |xl: |\S+@\S+:\S*[#$] )/;

function isContinuation(s: string): boolean {
  // Nearly every line of a Xen log starts with "(XEN)": no regex for those.
  return s.length > 0 && !isXenLine(s) && !OWN_START.test(s);
}

/**
 * Serial noise can break one message over two lines ("I/O virtualisation en" / "abled").
 * Returns the message of line i joined with the message of line i+1, for a second try.
 */
export function joinWithNext(lines: Line[], i: number): string | null {
  if (i + 1 >= lines.length || !isContinuation(lines[i + 1].text)) return null;
  return xenMessage(lines[i].text) + xenMessage(lines[i + 1].text);
}

/** Run `then` with the match of `re` in `s`, if any (keeps parser loops flat). */
export function onMatch(re: RegExp, s: string, then: (m: RegExpExecArray) => void): void {
  const m = re.exec(s);
  if (m) then(m);
}
