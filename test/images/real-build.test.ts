// A real build of a bench's image set (mmdebstrap, apt downloads: 2-3 minutes, root, network),
// run only when IOMMU_LAB_REAL_IMAGES=1: the CLI builds into a scratch root, the files land under
// the rig's names, the manifest names Xen, the kernel and the hash, and the dom0 initramfs holds
// what a real apu2 needs (test/images/initramfs-contents.ts). A second run finds it cached.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { skipWithout } from '../helpers/tools.ts';
import { benchRig, writeRig } from './bench-rig.ts';
import { checkInitramfs } from './initramfs-contents.ts';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/iommu-lab.js', 'pxe', 'images', ...args], { encoding: 'utf8' });

describe('images: a real bench build (IOMMU_LAB_REAL_IMAGES=1)', function () {
  this.timeout(30 * 60_000);

  it('builds the apu2 set under the rig names, with a manifest, and caches it', function () {
    if (process.env.IOMMU_LAB_REAL_IMAGES !== '1')
      skipWithout(this, 'a real build takes minutes', 'IOMMU_LAB_REAL_IMAGES=1, as root, with apt sources');
    if (process.getuid?.() !== 0) skipWithout(this, 'not root', 'run as root');
    const { raw, root, key } = benchRig();
    const rig = writeRig(raw);
    const first = cli('--rig', rig);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^dom0 host key SHA256:[A-Za-z0-9+/]{43}: pin it with dom0\.hostKey/m);
    assert.match(
      first.stdout,
      /^bench-3 images [0-9a-f]{16} built in [\d.]+ s into .*Xen 4\.17\.\d+, dom0 Linux \S+-amd64, .*image sha256 [0-9a-f]{64}$/m,
    );
    const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
    assert.equal(m.flavour, 'bench');
    assert.deepEqual(Object.keys(m.sizes), ['xen', 'vmlinuz', 'dom0.cpio.gz', 'guest/initrd.gz']);
    assert.equal(realpathSync(join(root, 'dom0.cpio.gz')), join(realpathSync(root), 'sets', m.key, 'dom0.cpio.gz'));
    const c = checkInitramfs(join(root, 'dom0.cpio.gz'), readFileSync(`${key}.pub`, 'utf8'));
    assert.deepEqual(c.problems, []);
    assert.equal(
      readFileSync(join(c.dir, 'etc/iommu-lab/dom0-network'), 'utf8'),
      'NIC_PCI=0000:01:00.0\nMODE=dhcp\nCIDR=\nGATEWAY=\n',
    );
    const again = cli('--rig', rig);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`images ${m.key} cached`));
  });
});
