import assert from 'node:assert/strict';
import { validateRig } from '../../lib/rig/load.ts';

describe('rig validation', () => {
  it('names the file and key path of a wrong type', () => {
    assert.throws(
      () => validateRig({ name: 'x', power: { kind: 'rte', url: 'http://a:8000', relayGpio: '9' } }, 'rigs/bench-3.ts'),
      /^RigFileError: rigs\/bench-3\.ts: power\.relayGpio: expected integer, got "9"/,
    );
  });
});
