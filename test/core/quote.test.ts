import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sh, shq } from '../../lib/core/quote.ts';

describe('core/quote', () => {
  const nasty = ['a b', "it's", '$(reboot)', '`id`', 'x;rm -rf /', '"q"', 'new\nline', '', '*', '-n'];

  it('every value reaches the program as one literal argument', () => {
    for (const v of nasty) {
      const out = execFileSync('sh', ['-c', `printf '%s' ${shq(v)}`]).toString();
      assert.equal(out, v);
    }
  });

  it('leaves plain words readable', () => {
    assert.equal(sh('xl', 'pci-assignable-add', '02:00.0'), 'xl pci-assignable-add 02:00.0');
  });
});
