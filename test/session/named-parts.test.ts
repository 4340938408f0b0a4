import assert from 'node:assert/strict';
import { NamedParts } from '../../lib/session/named-parts.ts';
import { TeardownStack } from '../../lib/session/teardown.ts';

describe('session/named-parts: parts opened on first use, closed in reverse', () => {
  it('opens a part once however many ask, even at the same time', async () => {
    const named = new NamedParts(new TeardownStack());
    let opened = 0;
    const open = async () => ({ n: ++opened });
    const [a, b] = await Promise.all([named.use('dom0', open), named.use('dom0', open)]);
    assert.equal(opened, 1);
    assert.equal(a, b);
    assert.equal(await named.use('dom0', open), a);
  });

  it('does not keep a failed open: the next use tries again', async () => {
    const named = new NamedParts(new TeardownStack());
    let tries = 0;
    const open = async () => {
      if (++tries === 1) throw new Error('connection refused');
      return 'up';
    };
    await assert.rejects(named.use('controller', open), /connection refused/);
    assert.equal(await named.use('controller', open), 'up');
    assert.equal(tries, 2);
  });

  it('closes what it opened, newest first, with the session teardown', async () => {
    const teardown = new TeardownStack();
    const named = new NamedParts(teardown);
    const closed: string[] = [];
    for (const name of ['controller', 'flasher'])
      await named.use(
        name,
        async () => name,
        async (p) => void closed.push(p),
      );
    await named.use('never-closed', async () => 'x');
    assert.deepEqual(await teardown.run(), []);
    assert.deepEqual(closed, ['flasher', 'controller']);
  });
});
