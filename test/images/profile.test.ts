// What each flavour bakes in: the network file dom0's /init sources and the guest's, and the
// profile a bench rig gives (its dom0 NIC, DHCP or its static address, nothing of the twin's).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchProfile, compressionFor } from '../../lib/images/bench.ts';
import { FILES_DIR } from '../../lib/images/files.ts';
import { fullPci, profileDigestInput, renderNetworkConfig } from '../../lib/images/profile.ts';
import { benchRig } from './bench-rig.ts';

const keys = { authorizedKeys: 'ssh-ed25519 AAAA owner\n', dom0HostKey: '/k/dom0', guestHostKey: '/k/guest' };

describe('images/profile', () => {
  it('renders static, DHCP and DHCP-with-fallback network files', () => {
    assert.equal(
      renderNetworkConfig({ kind: 'static', cidr: '10.0.2.15/24', gateway: '10.0.2.2' }, '0000:01:00.0'),
      'NIC_PCI=0000:01:00.0\nMODE=static\nCIDR=10.0.2.15/24\nGATEWAY=10.0.2.2\n',
    );
    assert.equal(
      renderNetworkConfig({ kind: 'dhcp' }, '0000:03:00.0'),
      'NIC_PCI=0000:03:00.0\nMODE=dhcp\nCIDR=\nGATEWAY=\n',
    );
    assert.equal(
      renderNetworkConfig({ kind: 'dhcp', fallback: { cidr: '192.168.10.210/24' } }),
      'MODE=dhcp\nCIDR=192.168.10.210/24\nGATEWAY=\n',
    );
  });

  it('refuses what is not an address: the file is sourced by a shell', () => {
    assert.throws(() => renderNetworkConfig({ kind: 'static', cidr: '1.2.3.4/24; reboot' }), /not an IPv4 address/);
    assert.throws(() => renderNetworkConfig({ kind: 'static', cidr: '1.2.3.400/24' }), /not an IPv4 address/);
    assert.throws(() => renderNetworkConfig({ kind: 'static', cidr: '1.2.3.4/24', gateway: '$(x)' }), /not IPv4/);
    assert.throws(() => renderNetworkConfig({ kind: 'dhcp' }, '01:00.0;x'), /bad PCI address/);
  });

  it('writes the PCI address as sysfs names it', () => {
    assert.equal(fullPci('01:00.0'), '0000:01:00.0');
    assert.equal(fullPci('0000:0A:00.1'), '0000:0a:00.1');
  });

  it("a bench rig's default: DHCP on the board's first NIC, gzip as the file name says", () => {
    const { rig } = benchRig();
    const p = benchProfile(rig, keys);
    assert.equal(p.flavour, 'bench');
    assert.deepEqual(p.dom0, { nicPci: '0000:01:00.0', address: { kind: 'dhcp' } });
    assert.equal(p.dom0Compression, 'gzip-1');
    assert.deepEqual(p.layout, {
      xen: 'xen',
      dom0Kernel: 'vmlinuz',
      dom0Initrd: 'dom0.cpio.gz',
      guestInitrd: 'guest/initrd.gz',
    });
    assert.equal(
      renderNetworkConfig(p.dom0.address, p.dom0.nicPci),
      'NIC_PCI=0000:01:00.0\nMODE=dhcp\nCIDR=\nGATEWAY=\n',
    );
  });

  it('a bench rig naming its dom0 NIC and a static address gets exactly those', () => {
    const { rig } = benchRig({ nic: '02:00.0', address: { cidr: '192.168.10.201/24', gateway: '192.168.10.1' } });
    const p = benchProfile(rig, keys);
    assert.equal(
      renderNetworkConfig(p.dom0.address, p.dom0.nicPci),
      'NIC_PCI=0000:02:00.0\nMODE=static\nCIDR=192.168.10.201/24\nGATEWAY=192.168.10.1\n',
    );
  });

  it("nothing of the twin's slirp network is in a bench profile", () => {
    for (const image of [{}, { address: { cidr: '192.168.10.201/24' } }]) {
      const p = benchProfile(benchRig(image).rig, keys);
      assert.doesNotMatch(profileDigestInput(p), /10\.0\.2\./);
      assert.doesNotMatch(renderNetworkConfig(p.guest.address), /10\.0\.2\./);
    }
    // And the init scripts every flavour shares hard-code no address at all.
    for (const f of ['dom0-init.sh', 'guest-init.sh', 'udhcpc.script'])
      assert.doesNotMatch(readFileSync(join(FILES_DIR, f), 'utf8'), /\d+\.\d+\.\d+\.\d+/, f);
  });

  it('the dom0 /init sources the network file, finds its NIC by PCI address and runs udhcpc there', () => {
    const init = readFileSync(join(FILES_DIR, 'dom0-init.sh'), 'utf8');
    assert.match(init, /^\. \/etc\/iommu-lab\/dom0-network$/m);
    assert.match(init, /\/sys\/bus\/pci\/devices\/\$NIC_PCI\/net\//);
    assert.match(init, /busybox udhcpc -i "\$nic" -s \/etc\/udhcpc\.script/);
    // The console stays on Xen's hvc0, as on the twin.
    assert.match(readFileSync(join(FILES_DIR, 'dom0-inittab'), 'utf8'), /^hvc0::respawn:/m);
  });

  it('the init scripts and the udhcpc hook parse as POSIX shell (sh -n)', () => {
    for (const f of ['dom0-init.sh', 'guest-init.sh', 'udhcpc.script'])
      assert.equal(spawnSync('sh', ['-n', join(FILES_DIR, f)]).status, 0, f);
  });

  it('refuses a dom0 initramfs name it cannot compress as named', () => {
    assert.equal(compressionFor('dom0.cpio'), 'none');
    assert.equal(compressionFor('boot/dom0.cpio.gz'), 'gzip-1');
    assert.throws(() => compressionFor('dom0.cpio.xz'), /only gzip is built/);
  });

  it('rig checks: the dom0 NIC is one of the board, a static address is dom0.host', () => {
    assert.throws(() => benchRig({ nic: '05:00.0' }), /boot\.server\.image\.nic.*not one of board\.nics/s);
    assert.throws(() => benchRig({ address: { cidr: '192.168.10.99/24' } }), /dom0\.host 192\.168\.10\.201/);
    assert.throws(() => benchRig({ address: { cidr: '192.168.10.201' } }), /with its prefix/);
  });
});
