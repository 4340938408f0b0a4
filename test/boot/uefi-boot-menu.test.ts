// The boot manager menu read from its screen: items, the selection, the Downs to an item.
import assert from 'node:assert/strict';
import { downsTo, parseBootMenu } from '../../lib/boot/uefi-boot-menu.ts';

/** The popup as OSFV's menus.robot comment shows it, one row a line (no cursor moves). */
const PLAIN = [
  '/------------------------------------\\',
  '|      Please select boot device:    |',
  '|------------------------------------|',
  '|   Debian (SATA)                    |',
  '| > UEFI Shell                       |',
  '|   iPXE Network Boot                |',
  '|------------------------------------|',
  '|      ^ and v to move selection     |',
  '|     ENTER to select boot device    |',
  '|             ESC to exit            |',
  '\\------------------------------------/',
].join('\r\n');

describe('boot/uefi-boot-menu', () => {
  it('reads the items between the title and the help, and which one is marked', () => {
    const m = parseBootMenu(PLAIN);
    assert.deepEqual(m, { items: ['Debian (SATA)', 'UEFI Shell', 'iPXE Network Boot'], selected: 1 });
    assert.equal(downsTo(m!, 2), 1);
  });

  it('Down wraps from the last item to the first (BootManagerMenu.c SCAN_DOWN)', () => {
    const m = { items: ['a', 'b', 'c'], selected: 2 };
    assert.equal(downsTo(m, 0), 1);
    assert.equal(downsTo(m, 2), 0);
  });

  it('a selection moved by redrawing in place counts once: the old row loses its mark', () => {
    const at = (r: number, c: number, t: string) => `\x1b[${r};${c}H${t}`;
    const raw = `\x1b[2J${at(1, 1, 'Please select boot device:')}${at(3, 1, '  A')}${at(4, 1, '  B')}${at(6, 1, '^ and v to move selection')}${at(3, 1, '>')}${at(3, 1, '  ')}${at(4, 1, '\u2192')}`;
    assert.deepEqual(parseBootMenu(raw), { items: ['A', 'B'], selected: 1 });
  });

  it('is not whole without its title, its help, an item or a selection', () => {
    assert.equal(parseBootMenu('ENTER to boot directly'), undefined);
    assert.equal(parseBootMenu(PLAIN.replace('>', ' ')), undefined);
    assert.equal(parseBootMenu(PLAIN.replace('to move selection', '')), undefined);
  });
});

describe('boot/uefi-boot-menu: the frame of every terminal type', () => {
  const rows = (v: string, h: string) =>
    [
      `${v}  Please select boot device: ${v}`,
      `${v}${h.repeat(20)}${v}`,
      `${v} > UEFI Shell       ${v}`,
      `${v}   iPXE Network Boot${v}`,
      `${v}${h.repeat(20)}${v}`,
      `${v}  ^ and v to move selection ${v}`,
    ].join('\r\n');

  it('VT-UTF8 box drawing and PC-ANSI code-page bytes (invalid UTF-8: U+FFFD) are frames, not items', () => {
    for (const [v, h] of [
      ['\u2502', '\u2500'],
      ['\ufffd', '\ufffd'],
    ])
      assert.deepEqual(parseBootMenu(rows(v!, h!)), { items: ['UEFI Shell', 'iPXE Network Boot'], selected: 0 });
  });
});
