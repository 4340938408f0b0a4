import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { RigError, UsageError } from '../../lib/core/errors.ts';
import { clearSecrets, registerSecret } from '../../lib/core/redact.ts';

describe('core/errors', () => {
  afterEach(() => clearSecrets());

  it('masks secrets in a RigError when it is made: message, console tail, stack', () => {
    registerSecret('b0ard-pw');
    // The board echoed the password on serial; the tail travels into reports with the error.
    const e = new RigError('console: silent after login b0ard-pw', {
      code: 'CONSOLE_SILENCE',
      part: 'console',
      consoleTail: 'Password: b0ard-pw\nLogin incorrect',
    });
    assert.equal(e.message, 'console: silent after login ***');
    assert.equal(e.consoleTail, 'Password: ***\nLogin incorrect');
    assert.doesNotMatch(inspect(e), /b0ard-pw/);
    assert.equal(new UsageError('bad b0ard-pw').message, 'bad ***');
  });
});
