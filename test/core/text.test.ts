import assert from 'node:assert/strict';
import { joinWithNext, kernelMessage, toLines, xenMessage } from '../../lib/core/text.ts';

describe('core/text', () => {
  it('splits CRLF, LF and lone CR, keeping original line numbers', () => {
    const lines = toLines('a\r\nb\nc\rd\n');
    assert.deepEqual(lines, [
      { n: 1, text: 'a' },
      { n: 2, text: 'b' },
      { n: 3, text: 'c' },
      { n: 4, text: 'd' },
    ]);
  });

  it('strips ANSI colours and control bytes', () => {
    const [l] = toLines('\x1b[1;32m(XEN) I/O virtualisation\x00 enabled\x1b[0m\x07');
    assert.equal(l.text, '(XEN) I/O virtualisation enabled');
  });

  it('splits a Xen line glued to SeaBIOS output, both on the same original line', () => {
    const lines = toLines('Booting from ROM..(XEN) Xen version 4.17.7 (Debian)\n(XEN) Command line: x');
    assert.deepEqual(
      lines.map((l) => [l.n, l.text]),
      [
        [1, 'Booting from ROM..'],
        [1, '(XEN) Xen version 4.17.7 (Debian)'],
        [2, '(XEN) Command line: x'],
      ],
    );
  });

  it('removes "(XEN) " and Xen timestamps but not other brackets', () => {
    assert.equal(xenMessage('(XEN) [    1.234567] AMD-Vi: IOMMU 0 Enabled.'), 'AMD-Vi: IOMMU 0 Enabled.');
    assert.equal(xenMessage('(XEN) [2024-05-01 10:11:12] I/O virtualisation enabled'), 'I/O virtualisation enabled');
    assert.equal(xenMessage('(XEN) [000000a1b2c3d4e5] x'), 'x');
    assert.equal(xenMessage('(XEN) [VT-D]DMAR: x'), '[VT-D]DMAR: x');
    assert.equal(
      kernelMessage('[   12.345678] pciback 0000:02:00.0: seizing device'),
      'pciback 0000:02:00.0: seizing device',
    );
  });

  it('joins a message broken over two lines by noise', () => {
    const lines = toLines('(XEN) I/O virtualisation en\nabled\n');
    assert.equal(joinWithNext(lines, 0), 'I/O virtualisation enabled');
    assert.equal(joinWithNext(lines, 1), null);
  });
});
