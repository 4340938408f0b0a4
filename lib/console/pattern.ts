// How each pattern is searched incrementally, exactly, in linear time:
//  - 'literal' (a string): indexOf from len-1 bytes before the new data. Exact at any length.
//  - 'line' (a regex that cannot match '\n', except as its last character): from the start of the
//    line the new data continues. A match cannot start before that line, so this is exact, and
//    the cost per chunk is the chunk plus one partial line. A line longer than `maxLine` is
//    searched over its last `maxLine` bytes only: the one (documented) window in the engine.
//  - 'stream' (a regex that may span lines, or is anchored with ^ without the m flag): only a
//    search from the start of the unconsumed data is exact, so it is repeated only when the data
//    has doubled since the last full search, before any other match is accepted, and on an idle
//    timer: amortised linear, and a match is seen at most one idle tick late.
// Deciding "cannot match '\n'" reads the regex source conservatively: anything that might
// (\s, \W, \D, [^...] without \n, ranges from control characters, \p{..}, `.` with the s flag)
// makes it a 'stream' pattern, which is slower but still exact.

import { countGroups, literals, splitAlternatives } from './literal.ts';

export type ScanKind = 'literal' | 'line' | 'stream';

export interface Found {
  start: number;
  end: number;
  groups: string[];
}

export interface CompiledPattern {
  readonly kind: ScanKind;
  /** For messages and reports: the string quoted, or the regex as written. */
  readonly label: string;
  /** Bytes to re-read before new data ('literal' only). */
  readonly overlap: number;
  /** A literal every match starts with: a 'stream' pattern is searched from its first occurrence. */
  readonly lead: string;
  find(text: string, from: number): Found | null;
}

/** The engine searches latin1 text (one char per byte); a string pattern is its UTF-8 bytes. */
const toLatin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
export const fromLatin1 = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

export function compilePattern(pattern: RegExp | string): CompiledPattern {
  return compilePatterns(pattern)[0];
}

/**
 * A regex with top-level alternatives becomes one searcher per alternative: each gets the best
 * scan kind and prefilter of its own (/short line|multi\nline/ is not all 'stream'). The
 * earliest start wins, ties go to the earlier alternative: the regex's own leftmost-first rule.
 */
export function compilePatterns(pattern: RegExp | string): CompiledPattern[] {
  if (typeof pattern === 'string') return [compileString(pattern)];
  const alts = splitAlternatives(pattern.source);
  const counts = alts.map(countGroups);
  const total = counts.reduce((a, b) => a + b, 0);
  let offset = 0;
  const parts: CompiledPattern[] = [];
  for (const [k, alt] of alts.entries()) {
    const local = renumberBackrefs(alt, offset, counts[k]);
    if (alts.length > 1 && (local === undefined || alt === ''))
      return [compileRegex(pattern, pattern.source, 0, total, '')];
    parts.push(compileRegex(pattern, local ?? alt, offset, total, alts.length > 1 ? `#${k}` : ''));
    offset += counts[k];
  }
  return parts;
}

function compileString(pattern: string): CompiledPattern {
  if (pattern.length === 0) throw new Error('console: an empty expect pattern matches nothing useful');
  const lit = toLatin1(pattern);
  return {
    kind: 'literal',
    label: JSON.stringify(pattern),
    overlap: lit.length - 1,
    lead: '',
    find(text, from) {
      const i = text.indexOf(lit, from);
      return i < 0 ? null : { start: i, end: i + lit.length, groups: [] };
    },
  };
}

function compileRegex(pattern: RegExp, source: string, offset: number, total: number, suffix: string): CompiledPattern {
  const flags = pattern.flags.replace(/[gy]/g, '');
  const re = new RegExp(source, flags + 'g');
  const { required, leading } = literals(source, flags);
  return {
    kind: scanKind(new RegExp(source, flags)),
    label: String(pattern) + suffix,
    overlap: 0,
    lead: leading,
    find(text, from) {
      if (required && text.indexOf(required, from) < 0) return null;
      re.lastIndex = from;
      const m = re.exec(text);
      if (!m) return null;
      // An empty match would be found again forever; it is a caller's mistake, not a match.
      if (m[0].length === 0) throw new Error(`console: pattern ${pattern} matched the empty string`);
      const groups: string[] = new Array(total).fill('');
      for (let g = 1; g < m.length; g++) groups[offset + g - 1] = m[g] ?? '';
      return { start: m.index, end: m.index + m[0].length, groups };
    },
  };
}

/** \N in alternative k names a global group; alone it is local. undefined: refers outside. */
function renumberBackrefs(alt: string, offset: number, count: number): string | undefined {
  let bad = false;
  const out = alt.replace(/\\(\d+)|\\./g, (m, n) => {
    if (n === undefined) return m;
    const local = Number(n) - offset;
    if (local < 1 || local > count) bad = true;
    return `\\${local}`;
  });
  return bad ? undefined : out;
}

export function scanKind(re: RegExp): ScanKind {
  // A trailing newline is the end of the match, never inside it: it keeps a pattern line-bound.
  const src = re.source.replace(/(?:\(\?:)?(?:\\r\??)?\\n\)?\$?$/, '');
  if (!re.flags.includes('m') && hasAnchor(src)) return 'stream';
  return mayMatchNewline(src, re.flags.includes('s')) ? 'stream' : 'line';
}

function hasAnchor(src: string): boolean {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '^' && !inClass) return true;
  }
  return false;
}

/** Escapes that may match '\n' (outside and inside a class). */
const NEWLINE_ESCAPE = /^(?:n|s|W|D|p|P|x0[aA]|u000[aA]|u\{0*[aA]\}|c[jJ]|0?12)/;

function mayMatchNewline(src: string, dotAll: boolean): boolean {
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\n') return true;
    if (c === '\\') {
      if (NEWLINE_ESCAPE.test(src.slice(i + 1, i + 9))) return true;
      i++;
    } else if (c === '.' && dotAll) return true;
    else if (c === '[') {
      const end = classEnd(src, i);
      if (classMayMatchNewline(src.slice(i + 1, end))) return true;
      i = end;
    }
  }
  return false;
}

function classEnd(src: string, open: number): number {
  for (let i = open + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === ']' && i > open + 1 + (src[open + 1] === '^' ? 1 : 0)) return i;
  }
  return src.length;
}

function classMayMatchNewline(body: string): boolean {
  const negated = body.startsWith('^');
  const items = negated ? body.slice(1) : body;
  let listsNewline = false;
  for (let i = 0; i < items.length; i++) {
    const c = items[i];
    if (c === '\n') listsNewline = true;
    else if (c === '\\') {
      const rest = items.slice(i + 1, i + 9);
      if (/^(?:n|s)/.test(rest)) listsNewline = true;
      else if (NEWLINE_ESCAPE.test(rest)) return true;
      // A range starting at an escape (\x00-\x7f, \t-\r) may cover '\n'.
      if (!negated && /^(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[0tvfr]|c[a-zA-Z])-/.test(rest)) return true;
      i++;
    } else if (!negated && items[i + 1] === '-' && c.charCodeAt(0) <= 10 && i + 2 < items.length) return true;
  }
  return negated ? !listsNewline : listsNewline;
}
