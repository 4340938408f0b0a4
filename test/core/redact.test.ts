import assert from 'node:assert/strict';
import { clearSecrets, redact, redactValue, registerSecret } from '../../lib/core/redact.ts';

describe('core/redact', () => {
  afterEach(() => clearSecrets());

  it('masks every occurrence of a registered secret', () => {
    registerSecret('s3cr3t-pw');
    assert.equal(redact('user:s3cr3t-pw@host s3cr3t-pw'), 'user:***@host ***');
  });

  it('masks secret-looking keys in step parameters', () => {
    assert.deepEqual(redactValue({ host: 'h', password: 'abc', nested: { token: 'x' } }), {
      host: 'h',
      password: '***',
      nested: { token: '***' },
    });
  });

  it('ignores values too short to be safely masked', () => {
    registerSecret('ab');
    assert.equal(redact('abc'), 'abc');
  });
});
