// The cache key follows everything an image set is made of: the flavour and its network
// settings, the keys it embeds, package versions and the build code; never the orchestration.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchProfile } from '../../lib/images/bench.ts';
import { buildScriptsDigest, cacheKey } from '../../lib/images/cache-key.ts';
import { publicKeysInput } from '../../lib/images/ensure.ts';
import type { ImageProfile } from '../../lib/images/profile.ts';
import { profileDigestInput } from '../../lib/images/profile.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { benchRig, makeKey } from './bench-rig.ts';

const dir = tempDir('images-keys-');
const hostKeys = { dom0HostKey: makeKey(dir, 'dom0'), guestHostKey: makeKey(dir, 'guest') };
const owner = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwner owner\n';

async function keyOf(p: ImageProfile, versions: Record<string, string> = { xen: '4.17.5-1' }): Promise<string> {
  return cacheKey({ versions, scripts: 'abc', publicKeys: await publicKeysInput(p), profile: profileDigestInput(p) });
}

const bench = (image: Record<string, unknown> = {}, authorizedKeys = owner) =>
  benchProfile(benchRig(image).rig, { authorizedKeys, ...hostKeys });

describe('images/cache-key', () => {
  it('is stable for the same inputs', async () => {
    assert.equal(await keyOf(bench()), await keyOf(bench()));
  });

  it('changes with the flavour, the dom0 NIC and its addressing', async () => {
    const base = await keyOf(bench());
    const twin: ImageProfile = { ...bench(), flavour: 'twin' };
    const keys = new Set([
      base,
      await keyOf(twin),
      await keyOf(bench({ nic: '02:00.0' })),
      await keyOf(bench({ address: { cidr: '192.168.10.201/24' } })),
      await keyOf(bench({ address: { cidr: '192.168.10.201/24', gateway: '192.168.10.1' } })),
    ]);
    assert.equal(keys.size, 5);
  });

  it('changes with the authorized key and with a host key', async () => {
    const base = await keyOf(bench());
    assert.notEqual(await keyOf(bench({}, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOther other\n')), base);
    const p = { ...bench(), keys: { ...bench().keys, dom0HostKey: makeKey(dir, 'dom0-new') } };
    assert.notEqual(await keyOf(p), base);
  });

  it('changes with a package version', async () => {
    assert.notEqual(await keyOf(bench(), { xen: '4.17.5-2' }), await keyOf(bench()));
  });

  it('digests the build code and baked files, not the orchestration around them', async () => {
    const code = tempDir('images-code-');
    writeFileSync(join(code, 'dom0.ts'), 'a');
    writeFileSync(join(code, 'ensure.ts'), 'a');
    const before = await buildScriptsDigest(code);
    writeFileSync(join(code, 'ensure.ts'), 'b');
    assert.equal(await buildScriptsDigest(code), before);
    writeFileSync(join(code, 'dom0.ts'), 'b');
    assert.notEqual(await buildScriptsDigest(code), before);
  });
});
