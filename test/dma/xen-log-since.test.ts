import assert from 'node:assert/strict';
import type { CommandResult } from '../../lib/core/result.ts';
import { xenLogFrom } from '../../lib/dma/xen-log-since.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';

/** A dom0 whose `xl dmesg` answers from a list the test changes. */
function dom0(log: { text: string }): RemoteShell {
  const res = (stdout: string) =>
    ({ command: 'xl dmesg', exitCode: 0, stdout, stderr: '', durationMs: 1 }) as CommandResult;
  return { check: async () => res(log.text) } as unknown as RemoteShell;
}

describe('dma/xen-log-since', () => {
  it('returns only the lines Xen printed after the mark', async () => {
    const log = { text: '(XEN) a\n(XEN) b\n' };
    const x = await xenLogFrom(dom0(log));
    log.text += '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:02:00.0 d1 addr 000000012c253000 flags 0x30 RW\n';
    assert.equal(
      (await x.since()).trim(),
      '(XEN) AMD-Vi: IO_PAGE_FAULT: 0000:02:00.0 d1 addr 000000012c253000 flags 0x30 RW',
    );
  });

  it('a repeat of the mark line after it does not hide what came between', async () => {
    const log = { text: '(XEN) same\n' };
    const x = await xenLogFrom(dom0(log));
    log.text += '(XEN) fault\n(XEN) same\n';
    assert.match(await x.since(), /fault/);
  });

  it('after the ring wrapped past the mark, everything kept counts (more lines, never fewer)', async () => {
    const log = { text: '(XEN) old\n' };
    const x = await xenLogFrom(dom0(log));
    log.text = '(XEN) fault\n(XEN) newer\n';
    assert.match(await x.since(), /fault/);
  });
});
