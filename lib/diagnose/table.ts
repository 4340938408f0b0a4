// The diagnosis table (data: rows-*.ts) and the function that applies it to any text.
// One finding per code: the first matching line, and how many lines matched.
import { HOLDS, joinWithNext, type Line, toLines } from '../core/text.ts';
import { normalizeLooseBdf } from '../xen/bdf.ts';
import type { LiteralScanner } from '../xen/literal-scanner.ts';
import { literalScanner, mayMatch, requiredLiterals } from '../xen/regex-literal.ts';
import { dasharoRows } from './rows-dasharo.ts';
import { dmaRows } from './rows-dma.ts';
import { guestNicRows } from './rows-guest-nic.ts';
import { ivrsRows } from './rows-ivrs.ts';
import { libxlRows } from './rows-libxl.ts';
import { platformRows } from './rows-platform.ts';
import type { DiagnosisRow, Finding, Severity } from './types.ts';

export const DIAGNOSES: readonly DiagnosisRow[] = [
  ...libxlRows,
  ...platformRows,
  ...dasharoRows,
  ...ivrsRows,
  ...dmaRows,
  ...guestNicRows,
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function fill(template: string, m: RegExpExecArray): string {
  return template.replace(/\{(\d)\}/g, (_, i: string) => {
    const v = m[Number(i)];
    if (v === undefined) return '?';
    return normalizeLooseBdf(v) ?? v;
  });
}

/** Per pattern, the literals it cannot match without (lib/xen/regex-literal.ts); derived once. */
const literalsOf = new WeakMap<RegExp, string[] | null>();
function literals(p: RegExp): string[] | null {
  let l = literalsOf.get(p);
  if (l === undefined) {
    l = requiredLiterals(p);
    literalsOf.set(p, l);
  }
  return l;
}

function firstMatch(row: DiagnosisRow, s: string): RegExpExecArray | null {
  for (const p of row.patterns) {
    // Most lines hold none of the words a pattern needs: an `includes` turns them away before the regex.
    if (!mayMatch(literals(p), s)) continue;
    const m = p.exec(s);
    if (m) return m;
  }
  return null;
}

/**
 * What every row needs of the input, worked out once rather than per row: the lines that hold a
 * literal of some pattern (only those can match), each with the rows it holds a literal of, and
 * each line joined with its continuation (a message broken over two lines by serial noise)
 * where the join holds one.
 */
interface Prepared {
  lines: Line[];
  /** Indices of lines that hold a literal of some row, ascending. */
  candidates: number[];
  /** Per candidate, the rows it may match: bit k for rows[k] (ALL_ROWS when not told). */
  rowsOf: number[];
  /** [index, the line joined with the next, the rows the join may match], ascending. */
  joins: [number, string, number][];
}

const ALL_ROWS = -1;

/**
 * One scan of a line tells which rows may match it: bit k set when it holds a literal of rows[k]
 * (lib/xen/literal-scanner.ts). Null when a pattern has no literal, or the table has more rows
 * than bits: then each row tries its own literals.
 */
const scanners = new WeakMap<readonly DiagnosisRow[], LiteralScanner | null>();
function scannerOf(rows: readonly DiagnosisRow[]): LiteralScanner | null {
  let sc = scanners.get(rows);
  if (sc === undefined) {
    sc = rows.length > 30 ? null : literalScanner(rows.map((r, k) => [1 << k, r.patterns] as const));
    scanners.set(rows, sc);
  }
  return sc;
}

function prepare(lines: Line[], scanner: LiteralScanner | null, marked: boolean): Prepared {
  const candidates: number[] = [];
  const rowsOf: number[] = [];
  const joins: [number, string, number][] = [];
  const rowsIn = (s: string) => (scanner === null ? ALL_ROWS : scanner.holds(s));
  for (let i = 0; i < lines.length; i++) {
    // A marked line was scanned for every literal of DIAGNOSES already (lib/analyze/line-marks.ts).
    const held = marked ? lines[i].holds : undefined;
    const may = held === undefined || (held & HOLDS.diagnose) !== 0 ? rowsIn(lines[i].text) : 0;
    if (may !== 0) {
      candidates.push(i);
      rowsOf.push(may);
    }
    if (i + 1 < lines.length && lines[i].text.length < 400) {
      const joined = joinWithNext(lines, i);
      const mayJoined = joined === null ? 0 : rowsIn(joined);
      if (mayJoined !== 0) joins.push([i, joined!, mayJoined]);
    }
  }
  return { lines, candidates, rowsOf, joins };
}

/** Apply rows[k] to clean lines; null when it does not match. */
function applyRow(row: DiagnosisRow, k: number, { lines, candidates, rowsOf, joins }: Prepared): Finding | null {
  const bit = k < 31 ? 1 << k : ALL_ROWS;
  // A line that holds no literal of the row cannot match it: only those that do are tried.
  // Made on the first hit: most rows match nothing, and each row of each boot made its own.
  let single: Map<number, RegExpExecArray> | null = null;
  for (let c = 0; c < candidates.length; c++) {
    if ((rowsOf[c] & bit) === 0) continue;
    const i = candidates[c];
    const m = firstMatch(row, lines[i].text);
    if (!m) continue;
    single ??= new Map();
    single.set(i, m);
  }
  const hits: [number, RegExpExecArray][] = single ? [...single] : [];
  // A message broken over two lines by serial noise: try it joined, unless the next line
  // matches on its own (then it is counted there).
  for (const [i, joined, may] of joins) {
    if ((may & bit) === 0 || single?.has(i) || single?.has(i + 1)) continue;
    const m = firstMatch(row, joined);
    if (m) hits.push([i, m]);
  }
  if (hits.length === 0) return null;
  hits.sort((x, y) => x[0] - y[0]);
  const [first, match] = hits[0];
  const last = hits[hits.length - 1][0];
  const count = hits.length;
  const severity = typeof row.severity === 'function' ? row.severity({ lines, first, last, match }) : row.severity;
  return {
    code: row.code,
    severity,
    message: fill(row.cause, match),
    remedy: fill(row.remedy, match),
    line: lines[first].n,
    text: lines[first].text,
    count,
  };
}

/** Findings for a text (or its clean lines), most severe first, then in order of appearance. */
export function diagnose(input: string | Line[], rows: readonly DiagnosisRow[] = DIAGNOSES): Finding[] {
  const lines = typeof input === 'string' ? toLines(input) : input;
  const prepared = prepare(lines, scannerOf(rows), rows === DIAGNOSES);
  const found: Finding[] = [];
  for (let k = 0; k < rows.length; k++) {
    const f = applyRow(rows[k], k, prepared);
    if (f) found.push(f);
  }
  const codes = new Set(found.map((f) => f.code));
  return found
    .filter((f) => !rows.find((r) => r.code === f.code)?.supersededBy?.some((c) => codes.has(c)))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.line - b.line);
}
