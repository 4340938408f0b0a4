// The ACPI table list Xen prints at boot ("(XEN) ACPI: IVRS CFEADE80, 0108 (r1 CORE ...)").
// It tells whether firmware published an IVRS table, the table AMD-Vi needs. A serial line is
// noisy, so: any IVRS table line anywhere means "present"; "missing" needs the whole list, seen
// complete (a later line that is not about ACPI ends it) and well-formed (no table line damaged
// by noise, which might have been the IVRS one, and no table lines after the end). Anything
// less — a log cut inside the list, a damaged line, no list — leaves it unknown.

const TABLE = /ACPI: ([A-Z0-9_]{4}) +[0-9A-F]{8,16}, [0-9A-F]{4}|ACPI: (RSDP) [0-9A-F]{8}/;
/** An IVRS table line, even with its prefix or tail damaged. */
const IVRS = /\bIVRS [0-9A-F]{8}|ACPI: IVRS\b/;

export interface AcpiTableList {
  tables: string[];
  complete: boolean;
  /** A line inside the list was not a well-formed table line. */
  damaged: boolean;
  ivrs: boolean | null;
}

/** Every pattern here needs one of these words; a line marked without HOLDS.other holds neither (lib/analyze/line-marks.ts). */
export const ACPI_PATTERNS: readonly RegExp[] = [/ACPI/, /IVRS/];

/** `lines`: the log in order, Xen lines without their "(XEN) " prefix, other lines as they are. */
export function parseAcpiTableList(lines: readonly string[]): AcpiTableList {
  return readAcpiTableList(
    lines.length,
    (i) => lines[i],
    () => false,
  );
}

/**
 * The same over `count` lines given one at a time: `text(i)` as above; `quiet(i)` true for a line
 * known to hold neither word, whose text is then asked for only to see whether it ends the list
 * (no array of every line's message is made).
 */
export function readAcpiTableList(
  count: number,
  text: (i: number) => string,
  quiet: (i: number) => boolean,
): AcpiTableList {
  const tables: string[] = [];
  let state: 'before' | 'in' | 'after' = 'before';
  let damaged = false;
  let ivrs = false;
  for (let i = 0; i < count; i++) {
    // Every pattern here needs "ACPI" or "IVRS": most lines of a log hold neither, and for them only
    // the end of the list is left to decide (two `includes` instead of three regexes).
    const known = quiet(i);
    const line = known && state !== 'in' ? '' : text(i);
    if (known || (!line.includes('ACPI') && !line.includes('IVRS'))) {
      if (state === 'in' && line.trim() !== '') state = 'after';
      continue;
    }
    const t = TABLE.exec(line);
    const name = t && (t[1] ?? t[2])!;
    if (name === 'RSDP' && state === 'after') {
      // RSDP again: the next boot of a transcript holding several; the last list decides.
      [tables.length, state, damaged, ivrs] = [0, 'before', false, false];
    }
    if (IVRS.test(line)) ivrs = true;
    if (name) {
      if (!tables.includes(name)) tables.push(name);
      if (state === 'after')
        damaged = true; // the "end" was a damaged line inside the list
      else state = 'in';
      continue;
    }
    if (state !== 'in' || line.trim() === '') continue;
    if (/ACPI|IVRS/.test(line)) damaged = true;
    else state = 'after';
  }
  const complete = state === 'after';
  return { tables, complete, damaged, ivrs: ivrs ? true : complete && !damaged ? false : null };
}
