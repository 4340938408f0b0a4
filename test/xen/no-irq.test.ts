import assert from 'node:assert/strict';
import { toLines } from '../../lib/core/text.ts';
import { noIrqHandler } from '../../lib/xen/no-irq.ts';

const HANG =
  '(XEN) masked ExtINT on CPU#1\n(XEN) CPU1: No irq handler for vector e7 (IRQ -2147483648)\n(XEN) masked ExtINT on CPU#2\n(XEN) CPU2: No irq handler for vector e7 (IRQ -2147483648)\n';

describe('xen/no-irq', () => {
  it('says the boot did not go on when the log stops after it (known apu2 hang)', () => {
    const r = noIrqHandler(toLines(HANG));
    assert.equal(r.count, 2);
    assert.equal(r.firstLine, 2);
    assert.equal(r.lastLine, 4);
    assert.equal(r.bootContinued, false);
  });
  it('says it went on after a milestone or a few more lines', () => {
    assert.equal(noIrqHandler(toLines(`${HANG}(XEN) Brought up 4 CPUs\n`)).bootContinued, true);
    assert.equal(noIrqHandler(toLines(`${HANG}(XEN) a\n(XEN) b\n(XEN) c\n`)).bootContinued, true);
    assert.equal(noIrqHandler(toLines(`${HANG}(XEN) a\n\n\n`)).bootContinued, false);
  });
  it('is null without the message', () => {
    assert.equal(noIrqHandler(toLines('(XEN) hello')).bootContinued, null);
  });
});
