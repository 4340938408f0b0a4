import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { isRigError } from '../../../lib/core/errors.ts';
import { openPower } from '../../../lib/power/open.ts';

/** A stand-in terminal: a stream that says it is a TTY, and what was shown to the engineer. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  return { input, output, shown: () => shown };
}

const openManual = (io: Record<string, unknown>) => openPower({ kind: 'manual', minOffMs: 0 }, { manualIo: io });

describe('power/manual', () => {
  it('refuses when stdin is not a terminal', async () => {
    const p = await openManual({ input: new PassThrough(), env: {} });
    const e = await p.on().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_MANUAL_UNATTENDED');
    assert.match(e.message, /stdin is not a terminal/);
  });

  it('refuses in CI even on a terminal', async () => {
    const t = terminal();
    const e = await (await openManual({ ...t, env: { CI: 'true' } })).off().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.match(e.message, /CI=true/);
    assert.equal(t.shown(), '');
  });

  it('asks the engineer and remembers what was confirmed', async () => {
    const t = terminal();
    const p = await openManual({ ...t, env: {} });
    assert.equal(await p.state(), 'unknown');
    const done = p.on();
    await new Promise((r) => setImmediate(r));
    assert.match(t.shown(), /Switch the board ON and press Enter/);
    t.input.write('\n');
    await done;
    assert.equal(await p.state(), 'on');
  });

  it('gives up when nobody answers', async () => {
    const t = terminal();
    const e = await (await openManual({ ...t, env: {}, answerTimeoutMs: 100 })).on().catch((x: unknown) => x);
    assert.ok(isRigError(e));
    assert.equal(e.code, 'POWER_TIMEOUT');
  });
});
