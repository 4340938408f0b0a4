// The initramfs content check itself, on a small fake dom0 packed the way the builder packs it:
// it passes a complete one, and names what is missing or what of the twin's network slipped in.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packCpio } from '../../lib/images/cpio.ts';
import { renderNetworkConfig } from '../../lib/images/profile.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { checkInitramfs } from './initramfs-contents.ts';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwner owner\n';
const M = 'usr/lib/modules/6.1.0-57-amd64/kernel/drivers';

function fakeDom0(): string {
  const root = tempDir('fake-dom0-');
  const files: Record<string, string> = {
    init: '#!/bin/sh\n. /etc/iommu-lab/dom0-network\n',
    [`${M}/net/ethernet/intel/igb/igb.ko`]: 'elf',
    [`${M}/net/ethernet/intel/e1000e/e1000e.ko`]: 'elf',
    [`${M}/xen/xen-pciback/xen-pciback.ko`]: 'elf',
    'usr/libexec/xen-qemu-system-i386': 'elf',
    'usr/bin/iperf3': 'elf',
    'usr/sbin/dropbear': 'elf',
    'etc/dropbear/dropbear_ed25519_host_key': 'key',
    'root/.ssh/authorized_keys': KEY,
    'etc/iommu-lab/dom0-network': renderNetworkConfig({ kind: 'dhcp' }, '0000:01:00.0'),
    'etc/udhcpc.script': '#!/bin/sh\n',
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), text);
  }
  chmodSync(join(root, 'init'), 0o755);
  return root;
}

async function pack(root: string): Promise<string> {
  const out = join(tempDir('fake-dom0-out-'), 'dom0.cpio.gz');
  await packCpio(root, out, 'gzip-1');
  return out;
}

describe('images: dom0 initramfs content check', () => {
  it('passes a complete bench dom0', async () => {
    assert.deepEqual(checkInitramfs(await pack(fakeDom0()), KEY).problems, []);
  });

  it("names a missing driver, a foreign key and the twin's address", async () => {
    const root = fakeDom0();
    rmSync(join(root, M, 'net/ethernet/intel/igb/igb.ko'));
    writeFileSync(
      join(root, 'etc/iommu-lab/dom0-network'),
      renderNetworkConfig({ kind: 'static', cidr: '10.0.2.15/24', gateway: '10.0.2.2' }, '0000:01:00.0'),
    );
    const { problems } = checkInitramfs(await pack(root), 'ssh-ed25519 other\n');
    assert.deepEqual(problems.sort(), [
      'authorized_keys is not the rig key',
      'etc/iommu-lab/dom0-network contains 10.0.2.15',
      'etc/iommu-lab/dom0-network contains 10.0.2.2',
      'no igb (i210/i211)',
    ]);
  });
});
