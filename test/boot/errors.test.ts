import assert from 'node:assert/strict';
import { BootFailure } from '../../lib/boot/errors.ts';
import { clearSecrets, registerSecret } from '../../lib/core/redact.ts';

describe('boot/errors', () => {
  afterEach(() => clearSecrets());

  it('masks secrets in a BootFailure (a test failure Allure reports with its message)', () => {
    registerSecret('b0ard-pw');
    const e = new BootFailure('no dom0 after b0ard-pw', 'dom0', 'login: b0ard-pw');
    assert.equal(e.message, 'no dom0 after ***\nlast console lines:\nlogin: ***');
    assert.equal(e.lastLines, 'login: ***');
  });
});
