import assert from 'node:assert/strict';
import { consoleLineOf, consoleLines } from '../../lib/report/console-lines.ts';

describe('report/console-lines', () => {
  const log = consoleLines(
    [
      '# iommu-lab console transcript: tty',
      '(XEN) \x1b[1mAMD-Vi: IO_PAGE_FAULT: 0000:00:02.0 d0\x1b[0m\r',
      '### iommu-lab test start: x/y',
      '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:00:02.0 d0',
      '### iommu-lab test end: x/y failed',
    ].join('\n'),
  );

  it("finds a diagnosis's line in the test's own range first, then anywhere, ANSI and CR cleaned", () => {
    const text = 'AMD-Vi: IO_PAGE_FAULT: 0000:00:02.0 d0';
    assert.equal(consoleLineOf(log, text, { fromLine: 3, toLine: 5 }), 4);
    assert.equal(consoleLineOf(log, text), 2);
    assert.equal(consoleLineOf(log, text, { fromLine: 5, toLine: 5 }), 2);
  });

  it('says nothing for a line not in console.log, or an empty one', () => {
    assert.equal(consoleLineOf(log, 'DMA_NOT_ISOLATED: elsewhere'), undefined);
    assert.equal(consoleLineOf(log, '  '), undefined);
  });
});
