// Whose key the bench's dom0 authorizes, and its own host keys: made once per image root.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import { authorizedKeysFor, benchHostKeys } from '../../lib/images/bench-keys.ts';
import { validateRig } from '../../lib/rig/load.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { benchRig } from './bench-rig.ts';

const noKey = (e: unknown) => isRigError(e, 'IMAGES_NO_KEY');

describe('images/bench-keys', () => {
  it("authorizes the .pub beside the rig's dom0.privateKey", async () => {
    const { rig, key } = benchRig();
    assert.equal(await authorizedKeysFor(rig), readFileSync(`${key}.pub`, 'utf8'));
  });

  it('derives the public half with ssh-keygen -y when no .pub is beside the key', async () => {
    const { rig, key } = benchRig();
    const pub = readFileSync(`${key}.pub`, 'utf8').trim();
    rmSync(`${key}.pub`);
    assert.equal((await authorizedKeysFor(rig)).trim(), pub);
  });

  it('derives it from a key held in an environment variable', async () => {
    const { raw, key } = benchRig();
    raw.dom0.privateKey = { env: 'IOMMU_LAB_TEST_DOM0_KEY' };
    process.env.IOMMU_LAB_TEST_DOM0_KEY = readFileSync(key, 'utf8');
    try {
      const pub = readFileSync(`${key}.pub`, 'utf8').trim();
      assert.equal((await authorizedKeysFor(validateRig(raw, 'r'))).trim(), pub);
    } finally {
      delete process.env.IOMMU_LAB_TEST_DOM0_KEY;
    }
  });

  it('takes boot.server.image.authorizedKey first, and refuses a file that is not a public key', async () => {
    const file = join(tempDir('images-pub-'), 'owner.pub');
    writeFileSync(file, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwner owner@desk\n');
    assert.equal(
      await authorizedKeysFor(benchRig({ authorizedKey: file }).rig),
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwner owner@desk\n',
    );
    writeFileSync(file, '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    await assert.rejects(authorizedKeysFor(benchRig({ authorizedKey: file }).rig), /not an OpenSSH public key file/);
  });

  it('refuses /dev/zero, a FIFO or a huge file as the key at once, without reading it (#24 N17)', async function () {
    this.timeout(10_000);
    const dir = tempDir('images-pub-odd-');
    const fifo = join(dir, 'fifo.pub');
    execFileSync('mkfifo', [fifo]);
    const huge = join(dir, 'huge.pub');
    writeFileSync(huge, Buffer.alloc(1024 * 1024, 0x41));
    for (const [file, why] of [
      ['/dev/zero', /not a regular file/],
      [fifo, /not a regular file/],
      [huge, /1048576 bytes, more than the 262144 expected/],
    ] as const) {
      const e = await authorizedKeysFor(benchRig({ authorizedKey: file }).rig).catch((x) => x);
      assert.ok(noKey(e), String(e));
      assert.match(e.message, why);
    }
  });

  it('refuses a rig whose dom0 logs in with a password only', async () => {
    const { raw } = benchRig();
    raw.dom0 = { ...raw.dom0, privateKey: undefined, password: { env: 'X_PASSWORD' } };
    await assert.rejects(
      authorizedKeysFor(validateRig(raw, 'r')),
      (e) => noKey(e) && /names no privateKey/.test(String(e)),
    );
  });

  it('makes the host keys once, in a private folder, and keeps them', async () => {
    const root = tempDir('images-hk-');
    const a = await benchHostKeys(root, 'bench-3');
    const before = readFileSync(`${a.dom0}.pub`, 'utf8');
    assert.equal(statSync(join(root, '.keys')).mode & 0o777, 0o700);
    const b = await benchHostKeys(root, 'bench-3');
    assert.equal(readFileSync(`${b.dom0}.pub`, 'utf8'), before);
    assert.notEqual(readFileSync(`${b.guest}.pub`, 'utf8'), before);
  });
});
