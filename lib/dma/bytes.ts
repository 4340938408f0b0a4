// What a DMA read brought back, judged against the 16-byte pattern unit of the page it aimed at.

export type ReadBack = 'pattern' | 'zeros' | 'ones' | 'other' | 'nothing';

/**
 * "pattern" when the bytes hold at least one whole 16-byte unit of the pattern (its 8 random
 * bytes cannot appear by chance); zeros and all-ones are what a blocked read typically returns.
 */
export function classifyReadBack(bytesHex: string | null, patternHex: string): ReadBack {
  if (!bytesHex) return 'nothing';
  const b = bytesHex.toLowerCase();
  if (/^(?:00)+$/.test(b)) return 'zeros';
  if (/^(?:ff)+$/.test(b)) return 'ones';
  const p = patternHex.toLowerCase();
  // Byte-aligned occurrence of any rotation of the unit that is 16 bytes long.
  const twice = p + p;
  for (let r = 0; r < 32; r += 2) {
    const unit = twice.slice(r, r + 32);
    for (let i = b.indexOf(unit); i >= 0; i = b.indexOf(unit, i + 1)) if (i % 2 === 0) return 'pattern';
  }
  return 'other';
}

/** The first byte of a canary page that no longer holds its 16-byte pattern unit, or null. */
export function firstChangeInPage(page: Buffer, patternHex: string): number | null {
  const unit = Buffer.from(patternHex, 'hex');
  for (let i = 0; i < page.length; i++) if (page[i] !== unit[i % unit.length]) return i;
  return null;
}
