// Bench providers are found by being in lib/bench/ as <name>-provider.ts: the twin's is, and a
// rig naming one that is not there is a usage error that lists those that are.
import assert from 'node:assert/strict';
import { benchProviders, defineBenchProvider, isBenchProvider, loadProvider } from '../../lib/bench/provider.ts';
import { isUsageError } from '../../lib/core/errors.ts';

describe('bench/provider', () => {
  it('finds the twin provider, with its outside view', async () => {
    const all = await benchProviders();
    assert.deepEqual([...all.keys()], ['twin']);
    const twin = await loadProvider('twin');
    assert.equal(typeof twin.ensureUp, 'function');
    assert.equal(twin.outsideView?.observer, 'QEMU');
  });

  it('an unknown provider is a usage error naming the known ones', async () => {
    await assert.rejects(
      loadProvider('nope'),
      (e: unknown) => isUsageError(e) && /provider "nope".*providers: twin/.test((e as Error).message),
    );
  });

  it('a definition is branded and named like a rig key', () => {
    const d = defineBenchProvider({ name: 'x-1', ensureUp: async () => {} });
    assert.ok(isBenchProvider(d));
    assert.ok(!isBenchProvider({ name: 'x', ensureUp: async () => {} }));
    assert.throws(() => defineBenchProvider({ name: 'Bad Name', ensureUp: async () => {} }), /lower-case/);
  });
});
