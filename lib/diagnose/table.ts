// The diagnosis table (data: rows-*.ts) and the function that applies it to any text.
// One finding per code: the first matching line, and how many lines matched.
import { joinWithNext, type Line, toLines } from '../core/text.ts';
import { normalizeLooseBdf } from '../xen/bdf.ts';
import { mayMatch, requiredLiterals } from '../xen/regex-literal.ts';
import { dmaRows } from './rows-dma.ts';
import { guestNicRows } from './rows-guest-nic.ts';
import { ivrsRows } from './rows-ivrs.ts';
import { libxlRows } from './rows-libxl.ts';
import { platformRows } from './rows-platform.ts';
import type { DiagnosisRow, Finding, Severity } from './types.ts';

export const DIAGNOSES: readonly DiagnosisRow[] = [
  ...libxlRows,
  ...platformRows,
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

/** Apply one row to clean lines; null when it does not match. */
function applyRow(row: DiagnosisRow, lines: Line[]): Finding | null {
  let first = -1;
  let last = -1;
  let count = 0;
  let match: RegExpExecArray | null = null;
  const single = lines.map((l) => firstMatch(row, l.text));
  for (let i = 0; i < lines.length; i++) {
    let m = single[i];
    // A message broken over two lines by serial noise: try it joined, unless the next line
    // matches on its own (then it is counted there).
    if (!m && i + 1 < lines.length && !single[i + 1] && lines[i].text.length < 400) {
      const joined = joinWithNext(lines, i);
      if (joined) m = firstMatch(row, joined);
    }
    if (!m) continue;
    count++;
    if (first < 0) {
      first = i;
      match = m;
    }
    last = i;
  }
  if (!match) return null;
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
  const found: Finding[] = [];
  for (const row of rows) {
    const f = applyRow(row, lines);
    if (f) found.push(f);
  }
  const codes = new Set(found.map((f) => f.code));
  return found
    .filter((f) => !rows.find((r) => r.code === f.code)?.supersededBy?.some((c) => codes.has(c)))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.line - b.line);
}
