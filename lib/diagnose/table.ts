// The diagnosis table (data: rows-*.ts) and the function that applies it to any text.
// One finding per code: the first matching line, and how many lines matched.
import { HOLDS, joinWithNext, type Line, toLines } from '../core/text.ts';
import { normalizeLooseBdf } from '../xen/bdf.ts';
import type { LiteralTest } from '../xen/literal-scanner.ts';
import { literalGate, mayMatch, requiredLiterals } from '../xen/regex-literal.ts';
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
 * literal of some pattern (only those can match), and each line joined with its continuation (a
 * message broken over two lines by serial noise) where the join holds one.
 */
interface Prepared {
  lines: Line[];
  /** Indices of lines the gate let through, ascending. */
  candidates: number[];
  /** Index → the line joined with the next, for joins the gate let through, ascending. */
  joins: [number, string][];
}

function prepare(lines: Line[], gate: LiteralTest | null, marked: boolean): Prepared {
  const candidates: number[] = [];
  const joins: [number, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    // A marked line was scanned for every literal of DIAGNOSES already (lib/analyze/line-marks.ts).
    const held = marked ? lines[i].holds : undefined;
    if (gate === null || (held === undefined ? gate.test(lines[i].text) : (held & HOLDS.diagnose) !== 0))
      candidates.push(i);
    if (i + 1 < lines.length && lines[i].text.length < 400) {
      const joined = joinWithNext(lines, i);
      if (joined && (gate === null || gate.test(joined))) joins.push([i, joined]);
    }
  }
  return { lines, candidates, joins };
}

/** Apply one row to clean lines; null when it does not match. */
function applyRow(row: DiagnosisRow, { lines, candidates, joins }: Prepared): Finding | null {
  // A line that failed the gate matches no pattern: only candidates are tried.
  // Made on the first hit: most rows match nothing, and each row of each boot made its own.
  let single: Map<number, RegExpExecArray> | null = null;
  for (const i of candidates) {
    const m = firstMatch(row, lines[i].text);
    if (!m) continue;
    single ??= new Map();
    single.set(i, m);
  }
  const hits: [number, RegExpExecArray][] = single ? [...single] : [];
  // A message broken over two lines by serial noise: try it joined, unless the next line
  // matches on its own (then it is counted there).
  for (const [i, joined] of joins) {
    if (single?.has(i) || single?.has(i + 1)) continue;
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

/** Per table, one regex of every literal of every pattern (lib/xen/regex-literal.ts); derived once. */
const gates = new WeakMap<readonly DiagnosisRow[], LiteralTest | null>();
function gateOf(rows: readonly DiagnosisRow[]): LiteralTest | null {
  let g = gates.get(rows);
  if (g === undefined) {
    g = literalGate(rows.flatMap((r) => r.patterns));
    gates.set(rows, g);
  }
  return g;
}

/** Findings for a text (or its clean lines), most severe first, then in order of appearance. */
export function diagnose(input: string | Line[], rows: readonly DiagnosisRow[] = DIAGNOSES): Finding[] {
  const lines = typeof input === 'string' ? toLines(input) : input;
  const prepared = prepare(lines, gateOf(rows), rows === DIAGNOSES);
  const found: Finding[] = [];
  for (const row of rows) {
    const f = applyRow(row, prepared);
    if (f) found.push(f);
  }
  const codes = new Set(found.map((f) => f.code));
  return found
    .filter((f) => !rows.find((r) => r.code === f.code)?.supersededBy?.some((c) => codes.has(c)))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.line - b.line);
}
