import assert from 'node:assert/strict';
import { BootSplitter } from '../../lib/analyze/boots.ts';
import { toLines } from '../../lib/core/text.ts';

/** Line numbers where a boot starts. */
function starts(text: string): number[] {
  const s = new BootSplitter();
  return toLines(text)
    .filter((l) => s.startsBoot(l))
    .map((l) => l.n);
}

describe('analyze/boots', () => {
  it('starts a boot at firmware after Xen or Linux, at the same firmware marker twice, at a second Xen banner', () => {
    const fw = 'PC Engines apu2\ncoreboot build 20190909\nBIOS version v4.10.0.2\nSeaBIOS (version rel-1.12.1.3)';
    const xen = '(XEN) Xen version 4.8.3 (Debian)\n(XEN) I/O virtualisation enabled';
    const dom0 = '[    0.000000] Linux version 4.9.0\n[    1.000000] x';
    assert.deepEqual(starts(`${fw}\n${xen}\n${dom0}`), []);
    assert.deepEqual(starts(`${fw}\n${xen}\n${dom0}\n${fw}\n${xen}`), [9]);
    assert.deepEqual(starts('SeaBIOS (version a)\nBooting from ROM\nSeaBIOS (version a)'), [3]);
    assert.deepEqual(starts(`${xen}\n${xen}`), [3]);
    assert.deepEqual(starts(`${xen}\n${dom0}\n${xen}`), [5]);
  });

  it('keeps text before the first marker in the first boot, and an xl dmesg typed at a prompt in its boot', () => {
    assert.deepEqual(starts('login: root\nroot@host:~# cat log\nPC Engines apu2\n(XEN) Xen version 4.17.7'), []);
    const booted = '(XEN) Xen version 4.17.7\n[    0.000000] Linux version 6.1\n[    2.0] y';
    assert.deepEqual(starts(`${booted}\nroot@dom0:~# xl dmesg | head\n(XEN) Xen version 4.17.7`), []);
    // The guest's SeaBIOS on the Xen console is not the board's.
    assert.deepEqual(starts(`${booted}\n(XEN) (d1) SeaBIOS (version 1.16)`), []);
  });
});
