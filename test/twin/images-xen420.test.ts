// The Debian 13 / Xen 4.20 image set as the rig apu2-twin-xen420 boots it: real files from the
// real build (`twin setup --xen 4.20` makes it; this test builds it when missing), checked on the
// archives themselves: the release's Xen, its tools folder where dom0's /init starts them, and a
// guest whose threaded iperf3 finds the libgcc_s glibc loads at run time.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TRIXIE } from '../../lib/images/release.ts';
import type { EnsureResult } from '../../twin/images/index.ts';
import { ensureTwinImages } from '../../twin/images/index.ts';
import { twinImagesRoot } from '../../twin/images/sets.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** Unpack a (gzipped) cpio archive into a temp folder. */
function unpack(archive: string): string {
  const dir = tempDir('xen420-initrd-');
  const cat = readFileSync(archive)
    .subarray(0, 2)
    .equals(Buffer.from([0x1f, 0x8b]))
    ? 'gzip -dc'
    : 'cat';
  execFileSync('sh', ['-c', `${cat} "$1" | cpio -id --quiet --no-absolute-filenames`, 'sh', archive], {
    cwd: dir,
    stdio: 'ignore',
  });
  return dir;
}

describe('twin images: Debian 13 / Xen 4.20 set', function () {
  this.timeout(30 * 60_000);
  let set: EnsureResult;

  before(async () => {
    set = await ensureTwinImages({ release: TRIXIE });
  });

  it("lives beside the 4.17 sets, never among them, and names 4.20's versions", () => {
    assert.equal(set.images.dir, join(twinImagesRoot(TRIXIE), set.manifest.key));
    assert.match(set.images.xenVersion, /^4\.20\.\d+$/);
    assert.match(set.images.kernelVersion, /^6\.12\.\d+\+deb13-amd64$/);
    assert.deepEqual([...readFileSync(set.images.xen).subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
  });

  it("dom0 starts Xen 4.20's tools from the folder they are in", () => {
    const root = unpack(set.images.dom0Initrd);
    assert.equal(readFileSync(join(root, 'etc/iommu-lab/dom0-xen'), 'utf8'), 'XEN=/usr/lib/xen-4.20/bin\n');
    for (const t of ['xenstored', 'xen-init-dom0', 'xenconsoled', 'xen-mfndump', 'xl'])
      assert.ok(existsSync(join(root, 'usr/lib/xen-4.20/bin', t)), t);
    assert.ok(!existsSync(join(root, 'usr/lib/xen-4.17')));
  });

  it('the guest carries iperf3 with the libgcc_s glibc dlopen()s for its threads, and xz modules busybox loads', () => {
    const root = unpack(set.images.guestInitrd);
    for (const f of ['usr/bin/iperf3', 'usr/lib/x86_64-linux-gnu/libgcc_s.so.1', 'bin/busybox'])
      assert.ok(existsSync(join(root, f)), f);
    const order = readFileSync(join(root, 'etc/iommu-lab/guest-modules'), 'utf8').trim().split('\n');
    assert.ok(
      order.some((m) => m.endsWith('/e1000e.ko.xz')),
      order.join(' '),
    );
    assert.ok(
      order.every((m) => existsSync(join(root, 'lib/modules', m))),
      'every listed module is in the archive',
    );
  });

  it("the guest's iperf3 runs a test to its end in the guest's own root (and aborts without libgcc_s)", async function () {
    if (process.getuid?.() !== 0) this.skip(); // chroot and mounts need root, as the image build does
    const root = unpack(set.images.guestInitrd);
    mkdirSync(join(root, 'tmp'), { recursive: true }); // the guest's /init mounts a tmpfs there
    const client = (): { status: number | null; stdout: string; stderr: string } => {
      const server = spawn('iperf3', ['-s', '-1', '-p', '5297'], { stdio: 'ignore' });
      spawnSync('sleep', ['1']);
      // A private mount namespace: /proc and /dev for the guest's root vanish with the process.
      const r = spawnSync(
        'unshare',
        [
          '-m',
          'sh',
          '-c',
          'mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && chroot "$1" /usr/bin/iperf3 -c 127.0.0.1 -p 5297 -t 1 -J',
          'sh',
          root,
        ],
        { encoding: 'utf8', timeout: 30_000 },
      );
      server.kill();
      return r;
    };
    const ok = client();
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(JSON.parse(ok.stdout).end.sum_sent.bytes > 0);
    rmSync(join(root, 'usr/lib/x86_64-linux-gnu/libgcc_s.so.1'));
    const broken = client();
    assert.notEqual(broken.status, 0);
    assert.match(broken.stderr, /libgcc_s\.so\.1 must be installed for pthread_cancel to work/);
  });
});
