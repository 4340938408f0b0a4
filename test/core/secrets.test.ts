import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RigError } from '../../lib/core/errors.ts';
import { clearSecrets, redact } from '../../lib/core/redact.ts';
import { readSecret } from '../../lib/core/secrets.ts';

describe('rig/secrets', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    delete process.env.TEST_SHORT_SECRET;
    clearSecrets();
  });

  it('reads a secret and masks it from then on', async () => {
    process.env.TEST_SHORT_SECRET = 'long-enough';
    assert.equal(await readSecret({ env: 'TEST_SHORT_SECRET' }, 'dom0 password'), 'long-enough');
    assert.equal(redact('pw long-enough'), 'pw ***');
  });

  it('refuses a secret too short to be masked, from a variable or a file, with a clear error', async () => {
    process.env.TEST_SHORT_SECRET = 'abc';
    const e = await readSecret({ env: 'TEST_SHORT_SECRET' }, 'dom0 password').catch((x: unknown) => x);
    assert.ok(e instanceof RigError);
    assert.equal(e.code, 'SECRET_TOO_SHORT');
    assert.equal(
      e.message,
      'dom0 password: the secret in environment variable TEST_SHORT_SECRET has 3 characters; at least 4 are needed so that it can be masked in logs and reports',
    );
    const file = join(dir, 'pw');
    writeFileSync(file, 'ab\n');
    await assert.rejects(
      readSecret({ file }, 'power.password'),
      (x: unknown) =>
        x instanceof RigError && x.code === 'SECRET_TOO_SHORT' && x.message.includes(`secret file ${file} has 2`),
    );
  });
});
