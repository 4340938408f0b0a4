// The longest literal every match of a regex must contain. The engine looks for it with indexOf
// (several GB/s) before running the regex: console lines all start alike ("(XEN) ", "[  1.23] "),
// so a regex like /\(XEN\) (\[..\] )?Panic on CPU/ would otherwise be tried on every line.
// Conservative: an alternation at the top level, a case-insensitive flag or anything unusual
// yields '' (no prefilter), never a literal a match could lack. Also: the literal every match
// starts with (`leading`), which lets a multi-line pattern be searched from where it can begin.

const PUNCT = new Set('\\^$.*+?()[]{}|/-,=:!<>#&~\'"@%`;_ '.split(''));
const CONTROL: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
const QUANTIFIER = /^(?:[*+?]|\{(\d+)(,\d*)?\})\??/;

export function requiredLiteral(re: RegExp): string {
  return literals(re.source, re.flags).required;
}

export function literals(src: string, flags: string): { required: string; leading: string } {
  if (/[iv]/.test(flags) || splitAlternatives(src).length > 1) return { required: '', leading: '' };
  let best = '';
  let run = '';
  let leading: string | undefined;
  const flush = () => {
    leading ??= run;
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < src.length; ) {
    const [atom, len] = readAtom(src, i);
    i += len;
    const q = QUANTIFIER.exec(src.slice(i, i + 16));
    if (!q) {
      if (atom === null) flush();
      else run += atom;
      continue;
    }
    i += q[0].length;
    const min = q[0][0] === '+' ? 1 : q[1] ? Number(q[1]) : 0;
    const exact = q[1] !== undefined && q[2] === undefined;
    if (atom === null || min === 0) {
      flush();
    } else if (exact) {
      run += atom.repeat(Math.min(min, 64));
      if (min > 64) flush();
    } else {
      // "a+b": the copies of "a" are required but not adjacent to what precedes them.
      flush();
      run = atom.repeat(Math.min(min, 64));
      flush();
    }
  }
  flush();
  return { required: fromRarest(best), leading: leading ?? '' };
}

/** Console bytes from most to least frequent (counted over a real apu2 Xen log and dom0 output). */
const FREQUENCY = ' 0eitoransdlc.:f1-bpEum()NgXh2IxC_v,PAS/84My3w5D6T`ROk9L7>VUBF=<H#[]GqQ"z*\'KW@Y~+!j;%J$?|';
const rarity = (c: string) => (FREQUENCY.includes(c) ? FREQUENCY.indexOf(c) : FREQUENCY.length);

/**
 * The tail of the literal from its rarest character: indexOf scans for a pattern's first
 * character, and "(" or " " starts every console line; "FATAL TRAP" is found faster than
 * "(XEN) FATAL TRAP" and is still required.
 */
function fromRarest(lit: string): string {
  let best = 0;
  // Keep at least half of it (and 6 bytes): a short tail ("vice" of "device") is common again.
  const keep = Math.max(6, Math.ceil(lit.length / 2));
  for (let i = 1; i <= lit.length - keep; i++) if (rarity(lit[i]) > rarity(lit[best])) best = i;
  return lit.slice(best);
}

/** The top-level alternatives of a regex source (one element when there is no alternation). */
export function splitAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(src, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(from, j));
      from = j + 1;
    }
  }
  out.push(src.slice(from));
  return out;
}

/** Capturing groups in a regex source. */
export function countGroups(src: string): number {
  let n = 0;
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(src, j) - 1;
    else if (c === '(' && (src[j + 1] !== '?' || (src[j + 2] === '<' && src[j + 3] !== '=' && src[j + 3] !== '!'))) n++;
  }
  return n;
}

/** One atom: its literal character, or null when it is not one fixed character. */
function readAtom(src: string, i: number): [string | null, number] {
  const c = src[i];
  if (c === '\\') {
    const n = src[i + 1] ?? '';
    if (PUNCT.has(n)) return [n, 2];
    if (CONTROL[n]) return [CONTROL[n], 2];
    if (n === 'x') return [null, 4];
    if (n === 'c') return [null, 3];
    if (n === 'u') return [null, src[i + 2] === '{' ? src.indexOf('}', i) - i + 1 : 6];
    if ((n === 'p' || n === 'P') && src[i + 2] === '{') return [null, src.indexOf('}', i) - i + 1];
    if (n === 'k' && src[i + 2] === '<') return [null, src.indexOf('>', i) - i + 1];
    if (/[0-9]/.test(n)) return [null, 1 + (/^[0-9]+/.exec(src.slice(i + 1))?.[0].length ?? 1)];
    return [null, 2];
  }
  if (c === '[') return [null, skipClass(src, i) - i];
  if (c === '(') return [null, skipGroup(src, i) - i];
  if (c === '.' || c === '^' || c === '$') return [null, 1];
  return [c, 1];
}

function skipClass(src: string, i: number): number {
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === ']') return j + 1;
  }
  return src.length;
}

function skipGroup(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(src, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return src.length;
}
