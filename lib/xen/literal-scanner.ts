// Whether a string holds any of a set of literals, in one pass over its characters. The parsers'
// gates (lib/xen/regex-literal.ts) were one regex alternation of ~100–150 literals, tested on
// every line of a log: V8 tries the alternatives at each position, and that was most of
// `analyze`'s time on a long transcript (issue #26). Here each literal is filed under one of its
// three-character windows, the rarest by a rough letter-frequency rank (so few windows of an
// ordinary line hit the table), and a line is read once: a window found in the table's bitset is
// checked by comparing the literals filed under it in place. The answer is exactly "some literal
// occurs in s" (test/xen/literal-scanner.test.ts holds it to the regex on every fixture line).

const WINDOW = 3;
/** Or-ed into holdsRaw's answer when the string holds a control character. */
export const HAS_CONTROL = 1 << 30;
const BITS = 1 << 16;

// Characters of English text and logs from most to least common; anything else (upper case,
// digits, punctuation) counts as rarer still. Only the choice of window depends on this: a bad
// rank makes the scan slower, never wrong.
const COMMON = ' etaoinsrhldcumfpgwybvkxjqz';

function rarity(code: number): number {
  const i = COMMON.indexOf(String.fromCharCode(code));
  return i < 0 ? COMMON.length : i;
}

function key(a: number, b: number, c: number): number {
  return (a * 961 + b * 31 + c) & (BITS - 1);
}

/** The offset of the rarest window of `lit` (the highest summed rarity; the first of equals). */
function rarestWindow(lit: string): number {
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i + WINDOW <= lit.length; i++) {
    let score = 0;
    for (let j = 0; j < WINDOW; j++) score += rarity(lit.charCodeAt(i + j));
    if (score > bestScore) [best, bestScore] = [i, score];
  }
  return best;
}

/** Answers test() as a RegExp of the literals would, and more (holds). */
export class LiteralScanner {
  private readonly bits = new Int32Array(BITS / 32);
  /** Window key → the literals filed under it, with the offset of that window in each and their mask. */
  private readonly filed = new Map<number, { lit: string; at: number; mask: number }[]>();
  /** Literals shorter than a window, with their masks: looked for with `includes`. */
  private readonly short: { lit: string; mask: number }[] = [];

  /** `literals`: each literal, or [literal, mask] for `holds` (a literal alone has mask 1). */
  constructor(literals: Iterable<string | readonly [string, number]>) {
    const masks = new Map<string, number>();
    for (const l of literals) {
      const [lit, mask] = typeof l === 'string' ? [l, 1] : l;
      masks.set(lit, (masks.get(lit) ?? 0) | mask);
    }
    for (const [lit, mask] of masks) {
      if (lit.length < WINDOW) {
        this.short.push({ lit, mask }); // "" occurs in every string, as in a regex
        continue;
      }
      const at = rarestWindow(lit);
      const k = key(lit.charCodeAt(at), lit.charCodeAt(at + 1), lit.charCodeAt(at + 2));
      this.bits[k >>> 5] |= 1 << (k & 31);
      const list = this.filed.get(k);
      if (list) list.push({ lit, at, mask });
      else this.filed.set(k, [{ lit, at, mask }]);
    }
  }

  /** Whether some literal occurs in `s` (stops at the first). */
  test(s: string): boolean {
    return this.scan(s, true, false) !== 0;
  }

  /** The masks of every literal that occurs in `s`, or-ed (0: none). */
  holds(s: string): number {
    return this.scan(s, false, false);
  }

  /**
   * `holds`, and in the same pass a search for control characters (below 0x20, and 0x7f) for a raw
   * line that would otherwise be read once more to see whether it needs cleaning: HAS_CONTROL is
   * or-ed into the answer when one occurs (keep it out of the literals' masks).
   */
  holdsRaw(s: string): number {
    return this.scan(s, false, true);
  }

  private scan(s: string, first: boolean, control: boolean): number {
    let mask = 0;
    for (const { lit, mask: m } of this.short)
      if (s.includes(lit)) {
        if (first) return m;
        mask |= m;
      }
    const n = s.length;
    if (control)
      for (let i = 0; i < n && i < WINDOW - 1; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x7f) mask |= HAS_CONTROL;
      }
    if (n < WINDOW) return mask;
    const bits = this.bits;
    let a = s.charCodeAt(0);
    let b = s.charCodeAt(1);
    for (let i = WINDOW - 1; i < n; i++) {
      const c = s.charCodeAt(i);
      if (control && (c < 0x20 || c === 0x7f)) mask |= HAS_CONTROL;
      const k = key(a, b, c);
      if ((bits[k >>> 5] & (1 << (k & 31))) !== 0) {
        mask |= this.found(k, s, i - (WINDOW - 1));
        if (first && mask !== 0) return mask;
      }
      a = b;
      b = c;
    }
    return mask;
  }

  /** The masks of the literals filed under window `k` that occur in `s` with that window at `start`. */
  private found(k: number, s: string, start: number): number {
    let mask = 0;
    for (const { lit, at, mask: m } of this.filed.get(k) ?? []) {
      const from = start - at;
      if (from >= 0 && s.startsWith(lit, from)) mask |= m;
    }
    return mask;
  }
}
