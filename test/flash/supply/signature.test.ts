// gpg checks a detached signature against one key file, with real keys made by gpg.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gpgMissing, verifyDetached } from '../../../flash/supply/signature.ts';
import { makeSigningKey, requireGpg, type SigningKey } from '../../helpers/gpg.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('flash supply: OpenPGP detached signatures', function () {
  this.timeout(60_000);
  let release: SigningKey;
  let stranger: SigningKey;
  let keyFile: string;
  const data = Buffer.from(`${'ab'.repeat(32)}  pcengines_apu2_v0.9.1.rom\n`);

  before(function () {
    requireGpg(this);
    release = makeSigningKey();
    stranger = makeSigningKey('someone else <else@example.invalid>');
    keyFile = join(tempDir('keys-'), 'release.asc');
    writeFileSync(keyFile, release.publicKey);
  });
  after(() => {
    release?.cleanup();
    stranger?.cleanup();
  });

  it("accepts the release key's signature and names the key", async () => {
    const r = await verifyDetached(data, release.sign(data), keyFile);
    assert.deepEqual(r, { verdict: 'good', fingerprint: release.fingerprint, expiredKey: false });
  });

  it('accepts a signature made before the key expired (as 24.05.00.x), and says the key expired', async () => {
    const old = makeSigningKey('expired since <old@example.invalid>', '20240101T000000');
    try {
      const file = join(tempDir('keys-'), 'old.asc');
      writeFileSync(file, old.publicKey);
      const r = await verifyDetached(data, old.sign(data), file);
      assert.deepEqual(r, { verdict: 'good', fingerprint: old.fingerprint, expiredKey: true });
    } finally {
      old.cleanup();
    }
  });

  it('refuses the signature of altered data', async () => {
    const r = await verifyDetached(
      Buffer.from(`${'cd'.repeat(32)}  pcengines_apu2_v0.9.1.rom\n`),
      release.sign(data),
      keyFile,
    );
    assert.equal(r.verdict, 'bad');
    assert.match((r as { why: string }).why, /BAD signature/);
  });

  it("refuses a good signature by another key (the user's keyring plays no part)", async () => {
    const r = await verifyDetached(data, stranger.sign(data), keyFile);
    assert.equal(r.verdict, 'bad');
    assert.match((r as { why: string }).why, /not signed by the key in release\.asc/);
  });

  it('refuses a file that is no signature', async () => {
    const r = await verifyDetached(data, Buffer.from('<html>not found</html>'), keyFile);
    assert.equal(r.verdict, 'bad');
  });

  it('without gpg: unchecked, and says which package brings it', async () => {
    assert.equal(await gpgMissing(), undefined);
    assert.match((await gpgMissing('/nonexistent/gpg')) ?? '', /not on PATH \(apt-get install gpg\)/);
    const r = await verifyDetached(data, release.sign(data), keyFile, '/nonexistent/gpg');
    assert.equal(r.verdict, 'unchecked');
  });
});
