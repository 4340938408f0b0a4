// The host-key fingerprint a bench owner pins: the one OpenSSH prints for the same key.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fingerprint, generateKeyPair } from '../../lib/images/ssh-keys.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('images/ssh-keys', () => {
  it("gives a generated pair's fingerprint exactly as ssh-keygen -l prints it", async () => {
    const key = join(tempDir('ssh-keys-'), 'host_ed25519');
    await generateKeyPair(key, 'test host key');
    const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' });
    const fp = await fingerprint(key);
    assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(printed.split(/\s+/)[1], fp);
  });
});
