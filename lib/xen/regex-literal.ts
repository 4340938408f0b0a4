// The literal text a regex cannot match without, read from its source, so a line can be turned
// away with one `includes` before the regex runs (the parsers hold ~150 regexes per line; most
// lines contain none of their keywords). Derived, never declared by hand: a literal that is
// wrong would silently drop findings. Anything this reader is unsure of gives null (no prefilter),
// which is always safe. test/xen/regex-literal.test.ts checks every table pattern against it.
import { LiteralScanner } from './literal-scanner.ts';

/** Escapes that stand for their own character outside a class. */
const PUNCT = new Set('\\/.^$|?*+()[]{}-:,!=<>#&%@~`\'" _;'.split(''));
/** Escapes that match one of many characters or nothing (they only end a run). */
const CLASSY = new Set('dDwWsSbB'.split(''));

/** The end index (exclusive) of the class that starts at `i` (`[`), or -1. */
function classEnd(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++; // a leading ] is literal in JS only in annex B; harmless to skip
  for (; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === ']') return j + 1;
  }
  return -1;
}

/** The better of two any-of sets: the one whose shortest literal is longer (fewer chance hits). */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (!a) return b;
  if (!b) return a;
  const score = (x: string[]) => Math.min(...x.map((l) => l.length)) - x.length + 1;
  return score(b) > score(a) ? b : a;
}

/**
 * The best any-of set of required literals of one alternative: the longest run of literal
 * characters at depth 0, or what a group that must match (not optional, not a look-around) requires.
 */
function literalOf(src: string): string[] | null {
  let best: string[] | null = null;
  let run = '';
  const end = () => {
    if (run.length > 0) best = better(best, [run]);
    run = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) return null;
      if (PUNCT.has(e)) {
        run += e;
        i += 2;
      } else if (CLASSY.has(e)) {
        end();
        i += 2;
      } else if (e === 'n' || e === 't' || e === 'r') {
        run += e === 'n' ? '\n' : e === 't' ? '\t' : '\r';
        i += 2;
      } else return null; // \x \u \p \k \c, back-references: not worth reading
    } else if (c === '[') {
      const j = classEnd(src, i);
      if (j < 0) return null;
      end();
      i = j;
    } else if (c === '(') {
      end();
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        const d = src[j];
        if (d === '\\') j++;
        else if (d === '[') {
          const k = classEnd(src, j);
          if (k < 0) return null;
          j = k - 1;
        } else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      if (j >= src.length) return null;
      // A group that must match once requires what its content requires; an optional one, a
      // look-around or a named group (whose (?<name> this reader does not strip) requires nothing here.
      const q = src[j + 1];
      const optional = q === '?' || q === '*' || (q === '{' && /^\{0[,}]/.test(src.slice(j + 1)));
      const body = src.startsWith('(?:', i) ? src.slice(i + 3, j) : src[i + 1] === '?' ? null : src.slice(i + 1, j);
      if (!optional && body !== null) best = better(best, anyOf(body));
      i = j + 1;
    } else if (c === '?' || c === '*') {
      run = run.slice(0, -1); // the last character is optional
      end();
      i++;
      if (src[i] === '?') i++;
    } else if (c === '+') {
      end(); // the last character is there at least once, but what follows need not be next to it
      i++;
      if (src[i] === '?') i++;
    } else if (c === '{') {
      const q = /^\{(\d+)(,\d*)?\}\??/.exec(src.slice(i));
      if (!q) return null;
      run = Number(q[1]) >= 1 && !q[2] ? run : run.slice(0, -1);
      end();
      i += q[0].length;
    } else if (c === '.' || c === '^' || c === '$') {
      end();
      i++;
    } else if (c === ')' || c === ']' || c === '}' || c === '|')
      return null; // split or skipped before
    else {
      run += c;
      i++;
    }
  }
  end();
  return best;
}

/** One literal per top-level alternative of a source (every match contains one of them), or null. */
function anyOf(src: string): string[] | null {
  const alts = alternatives(src);
  if (!alts) return null;
  const out: string[] = [];
  for (const a of alts) {
    const lits = literalOf(a);
    if (lits === null) return null;
    out.push(...lits);
  }
  return out;
}

/** The top-level alternatives of a source (| outside groups and classes), or null when unsure. */
export function alternatives(src: string): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < src.length; j++) {
    const d = src[j];
    if (d === '\\') j++;
    else if (d === '[') {
      const k = classEnd(src, j);
      if (k < 0) return null;
      j = k - 1;
    } else if (d === '(') depth++;
    else if (d === ')') depth--;
    else if (d === '|' && depth === 0) {
      out.push(src.slice(start, j));
      start = j + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/**
 * Literals of which every match of `re` contains at least one (one per top-level alternative),
 * or null when the regex does not tell (then no prefilter).
 */
export function requiredLiterals(re: RegExp): string[] | null {
  if (/[giuvy]/.test(re.flags)) return null; // case folding, unicode sets, lastIndex state: not read here
  return anyOf(re.source);
}

/** A test equivalent to `re.test(s)` for its literals: false without running the regex when none is in s. */
export function mayMatch(literals: readonly string[] | null, s: string): boolean {
  if (literals === null) return true;
  for (const l of literals) if (s.includes(l)) return true;
  return false;
}

/**
 * One test that finds any literal of any of `patterns`: a line it does not match, none of them
 * can (a scan for all the literals at once, lib/xen/literal-scanner.ts; most lines fail it). Null
 * when a pattern has no literal (then every line must be tried).
 */
export function literalGate(patterns: readonly RegExp[]): LiteralScanner | null {
  return literalScanner([[1, patterns]]);
}

/**
 * A scanner whose `holds(s)` or-s the bit of every group with a literal in s: a group whose bit
 * is clear cannot match s. Null when a pattern has no literal, or there are none at all.
 */
export function literalScanner(groups: readonly (readonly [number, readonly RegExp[]])[]): LiteralScanner | null {
  const literals: [string, number][] = [];
  for (const [bit, patterns] of groups)
    for (const p of patterns) {
      const lits = requiredLiterals(p);
      if (lits === null) return null;
      for (const l of lits) literals.push([l, bit]);
    }
  return literals.length === 0 ? null : new LiteralScanner(literals);
}
