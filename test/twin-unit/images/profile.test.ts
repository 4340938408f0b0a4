// The twin's profile through the shared builder: its layout (boot/xen, boot/vmlinuz,
// boot/dom0.cpio, guest/initrd.gz; no iPXE script of its own) and the same network as before the builder
// moved to lib/images: dom0 static on slirp's 10.0.2.15 via 10.0.2.2 at 01:00.0, the guest by
// DHCP with that address as its fallback, the twin's client key authorized.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { profileDigestInput, renderNetworkConfig } from '../../../lib/images/profile.ts';
import { twinKeyPaths } from '../../../twin/images/keys.ts';
import { twinProfile } from '../../../twin/images/profile.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { makeKey } from '../../images/bench-rig.ts';

describe('twin/images profile', () => {
  it('keeps the twin layout, slirp addresses and keys', async () => {
    const dir = tempDir('twin-profile-');
    const keys = twinKeyPaths(dir);
    makeKey(dir, 'client_ed25519');
    const p = await twinProfile(keys, 'gzip-1');
    assert.equal(p.flavour, 'twin');
    assert.deepEqual(p.layout, {
      xen: 'boot/xen',
      dom0Kernel: 'boot/vmlinuz',
      dom0Initrd: 'boot/dom0.cpio',
      guestInitrd: 'guest/initrd.gz',
    });
    assert.equal(
      renderNetworkConfig(p.dom0.address, p.dom0.nicPci),
      'NIC_PCI=0000:01:00.0\nMODE=static\nCIDR=10.0.2.15/24\nGATEWAY=10.0.2.2\n',
    );
    assert.equal(renderNetworkConfig(p.guest.address), 'MODE=dhcp\nCIDR=10.0.2.15/24\nGATEWAY=10.0.2.2\n');
    assert.equal(p.keys.authorizedKeys, readFileSync(`${keys.client}.pub`, 'utf8'));
    assert.equal(p.keys.dom0HostKey, keys.dom0Host);
    assert.equal(p.keys.guestHostKey, keys.guestHost);
    assert.match(profileDigestInput(p), /"flavour":"twin"/);
  });
});
