// The live line as a terminal sees it: its clock ticks every second while nothing else happens,
// it stops ticking when detached, and CI (or a pipe) gets plain lines with no clock at all.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { attachProgressUi } from '../../../lib/cli/kit/ui.ts';
import { progress } from '../../../lib/core/progress.ts';
import { sleep } from '../../../lib/core/time.ts';

function terminal(isTTY: boolean) {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { text: string };
  Object.assign(s, { isTTY, columns: 120, text: '' });
  (s as unknown as PassThrough).on('data', (d: Buffer) => (s.text += d.toString()));
  return s;
}

describe('cli/kit/ui: the live stage line', function () {
  this.timeout(10_000);
  let ci: string | undefined;
  before(() => {
    ci = process.env.CI;
    delete process.env.CI;
  });
  after(() => {
    if (ci !== undefined) process.env.CI = ci;
  });

  it('ticks its elapsed time every second while a step waits silently', async () => {
    const term = terminal(true);
    const detach = attachProgressUi(term, 250);
    progress.emit('stage', 'dom0');
    progress.emit('step', 'wait for dom0 SSH');
    await sleep(2300);
    detach();
    const renders = term.text.split('\r\x1b[2K').filter((r) => r.includes('dom0: wait for dom0 SSH'));
    const seconds = new Set(renders.map((r) => /\[\s*(\d+)s\]/.exec(r)?.[1]));
    assert.ok(renders.length >= 8, `only ${renders.length} renders in 2.3 s at a 250 ms tick`);
    assert.deepEqual([...seconds].sort(), ['0', '1', '2']);
    const after = term.text.length;
    await sleep(600);
    assert.equal(term.text.length, after, 'still ticking after detach');
  });

  it('writes plain lines without a clock that ticks in CI', async () => {
    process.env.CI = 'true';
    try {
      const term = terminal(true);
      const detach = attachProgressUi(term, 50);
      progress.emit('stage', 'xen');
      progress.emit('step', 'waiting');
      await sleep(300);
      detach();
      assert.match(term.text, /^\[\s+0s\] == xen\n$/);
    } finally {
      delete process.env.CI;
    }
  });

  it('TERM=dumb: plain lines, no escape sequence at all; NO_COLOR: the live line without dimming', async () => {
    const dumb = terminal(true);
    const d1 = attachProgressUi(dumb, 50, { TERM: 'dumb' });
    progress.emit('stage', 'xen');
    progress.emit('step', 'waiting');
    await sleep(150);
    d1();
    assert.equal(dumb.text.includes('\x1b'), false, JSON.stringify(dumb.text));
    assert.match(dumb.text, /^\[\s+0s\] == xen\n$/);

    const plain = terminal(true);
    const d2 = attachProgressUi(plain, 50, { NO_COLOR: '1', TERM: 'xterm' });
    progress.emit('stage', 'xen');
    progress.emit('step', 'waiting');
    await sleep(150);
    d2();
    assert.match(plain.text, /\r\x1b\[2K\[\s+0s\] xen: waiting/);
    assert.equal(plain.text.includes('\x1b[2m'), false, 'dimmed despite NO_COLOR');
  });
});
