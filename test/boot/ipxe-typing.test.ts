import assert from 'node:assert/strict';
import { echoedLine } from '../../lib/boot/ipxe-typing.ts';

describe('boot/ipxe-typing echoedLine', () => {
  it('reads the line iPXE shows as a terminal would', () => {
    assert.equal(echoedLine(' dhcp net0'), 'dhcp net0');
    // An older prompt before it: only the line after the last prompt.
    assert.equal(echoedLine(' \r\niPXE> chain http://h/boot.ipxe'), 'chain http://h/boot.ipxe');
    // Ctrl-U as src/hci/readline.c sync_console redraws it, then the line typed again.
    const bad = 'chain http://h/boot.ixe';
    const n = bad.length;
    assert.equal(
      echoedLine(`${bad}${'\b'.repeat(n)}${' '.repeat(n)}${'\b'.repeat(n)}chain http://h/boot.ipxe`),
      'chain http://h/boot.ipxe',
    );
    // A retyped line shorter than the lost one: the rest was blanked.
    assert.equal(echoedLine(`abcdef${'\b'.repeat(6)}${' '.repeat(6)}${'\b'.repeat(6)}abc`), 'abc');
    // Colours and cursor escapes are not text; an 80-column wrap is no line break.
    assert.equal(echoedLine('\x1b[0m chain http://h/\r\nboot.ipxe'), 'chain http://h/boot.ipxe');
    assert.equal(echoedLine(''), '');
  });
});
