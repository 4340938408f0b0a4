import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ExpectBuffer } from '../../lib/console/expect-buffer.ts';
import { StreamConsole } from '../../lib/console/stream-console.ts';
import { Transcript } from '../../lib/console/transcript.ts';
import type { Transport } from '../../lib/console/transport.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** A transport that records what is written and when. */
function recorder() {
  const writes: { at: number; data: string }[] = [];
  let closed = 0;
  const transport: Transport = {
    description: 'recorder',
    write: async (d) => void writes.push({ at: performance.now(), data: d.toString() }),
    close: async () => void closed++,
  };
  return { transport, writes, closed: () => closed };
}

describe('console/stream-console', () => {
  const dir = tempDir('stream-console-');

  it('types slowly: 8 bytes every 30 ms by default (what the Xen console does not drop)', async () => {
    const r = recorder();
    const c = new StreamConsole(
      r.transport,
      new ExpectBuffer({ description: 'x' }),
      new Transcript(join(dir, 'a.log'), 'x'),
    );
    await c.sendSlowly('xl pci-assignable-add 02:00.0\n');
    assert.deepEqual(
      r.writes.map((w) => w.data),
      ['xl pci-a', 'ssignabl', 'e-add 02', ':00.0\n'],
    );
    for (let i = 1; i < r.writes.length; i++) assert.ok(r.writes[i].at - r.writes[i - 1].at >= 29);
    await c.close();
    await c.close();
    assert.equal(r.closed(), 1);
  });

  it('exposes the engine: pending, discard, tail, transcript path', async () => {
    const r = recorder();
    const buffer = new ExpectBuffer({ description: 'x' });
    const c = new StreamConsole(r.transport, buffer, new Transcript(join(dir, 'b.log'), 'x'));
    buffer.push('line 1\r\nline 2\r\nrest');
    assert.equal((await c.expect('line 2\r\n', { name: 'l2', timeout: 100 })).before, 'line 1\r\n');
    assert.equal(c.pending(), 'rest');
    assert.equal(c.tail(2), 'line 2\nrest');
    c.discard();
    assert.equal(c.pending(), '');
    assert.equal(c.transcriptPath, join(dir, 'b.log'));
    await c.close();
  });
});
