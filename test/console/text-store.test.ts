import assert from 'node:assert/strict';
import { TextStore } from '../../lib/console/text-store.ts';

describe('console/text-store', () => {
  const build = () => {
    const s = new TextStore();
    for (const c of ['ab\nc', 'de', 'f\ngh', 'ij']) s.append(c);
    return s; // "ab\ncdef\nghij"
  };

  it('slices across chunk boundaries', () => {
    const s = build();
    assert.equal(s.slice(0), 'ab\ncdef\nghij');
    assert.equal(s.slice(2, 9), '\ncdef\ng');
    assert.equal(s.slice(4, 5), 'd');
    assert.equal(s.slice(12), '');
  });

  it('finds the start of the line before an offset, bounded by a limit', () => {
    const s = build();
    assert.equal(s.lineStartBefore(12, 100), 8);
    assert.equal(s.lineStartBefore(7, 100), 3);
    assert.equal(s.lineStartBefore(8, 100), 8);
    assert.equal(s.lineStartBefore(2, 100), 0);
    assert.equal(s.lineStartBefore(7, 2), 5);
  });

  it('drops whole chunks before an offset and clamps later slices', () => {
    const s = build();
    s.dropBefore(7);
    assert.equal(s.held, 6);
    assert.equal(s.slice(0), 'f\nghij');
    assert.equal(s.end, 12);
  });
});
