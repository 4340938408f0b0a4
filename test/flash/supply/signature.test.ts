// gpg checks a detached signature against one key file, with real keys made by gpg.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gpgMissing, verifyDetached } from '../../../flash/supply/signature.ts';
import { makeSigningKey, requireGpg, type SigningKey } from '../../helpers/gpg.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('flash supply: OpenPGP detached signatures', function () {
  this.timeout(60_000);
  let made: { release: SigningKey; stranger: SigningKey; keyFile: string } | undefined;
  const data = Buffer.from(`${'ab'.repeat(32)}  pcengines_apu2_v0.9.1.rom\n`);

  /** The keys, made on first use; a test without gpg skips, naming it, in its own title. */
  function keys(ctx: Mocha.Context): NonNullable<typeof made> {
    requireGpg(ctx);
    if (made) return made;
    const release = makeSigningKey();
    const keyFile = join(tempDir('keys-'), 'release.asc');
    writeFileSync(keyFile, release.publicKey);
    made = { release, stranger: makeSigningKey('someone else <else@example.invalid>'), keyFile };
    return made;
  }
  after(() => {
    made?.release.cleanup();
    made?.stranger.cleanup();
  });

  it("accepts the release key's signature and names the key", async function () {
    const { release, keyFile } = keys(this);
    const r = await verifyDetached(data, release.sign(data), keyFile);
    assert.deepEqual(r, { verdict: 'good', fingerprint: release.fingerprint, expiredKey: false });
  });

  it('accepts a signature made before the key expired (as 24.05.00.x), and says the key expired', async function () {
    requireGpg(this);
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

  it('refuses the signature of altered data', async function () {
    const { release, keyFile } = keys(this);
    const r = await verifyDetached(
      Buffer.from(`${'cd'.repeat(32)}  pcengines_apu2_v0.9.1.rom\n`),
      release.sign(data),
      keyFile,
    );
    assert.equal(r.verdict, 'bad');
    assert.match((r as { why: string }).why, /BAD signature/);
  });

  it("refuses a good signature by another key (the user's keyring plays no part)", async function () {
    const { stranger, keyFile } = keys(this);
    const r = await verifyDetached(data, stranger.sign(data), keyFile);
    assert.equal(r.verdict, 'bad');
    assert.match((r as { why: string }).why, /not signed by the key in release\.asc/);
  });

  it('refuses a file that is no signature', async function () {
    const { keyFile } = keys(this);
    const r = await verifyDetached(data, Buffer.from('<html>not found</html>'), keyFile);
    assert.equal(r.verdict, 'bad');
  });

  it('without gpg: unchecked, and says which package brings it (runs where gpg is missing too)', async () => {
    assert.match(
      (await gpgMissing('/nonexistent/gpg')) ?? '',
      /^\/nonexistent\/gpg is not on PATH \(apt-get install gpg\)$/,
    );
    const r = await verifyDetached(data, Buffer.from('sig'), '/nonexistent/key.asc', '/nonexistent/gpg');
    assert.equal(r.verdict, 'unchecked');
  });

  it('finds gpg on PATH where it is installed', async function () {
    requireGpg(this);
    assert.equal(await gpgMissing(), undefined);
  });
});
