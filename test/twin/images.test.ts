// The twin's images as the runtime consumes them: real files from the real build (cold the
// first time on a machine, then cached), the cache contract, keys and the iPXE script.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bzImagePayload, writeVmlinuxGz } from '../../lib/images/vmlinux.ts';
import { twinPorts } from '../../twin/base/paths.ts';
import type { EnsureResult } from '../../twin/images/index.ts';
import { DEFAULT_XEN_COMMAND_LINE, ensureTwinImages } from '../../twin/images/index.ts';
import { twinKeyPaths } from '../../twin/images/keys.ts';
import { installCommand, missingPackages } from '../../twin/images/packages.ts';

const MiB = 1024 * 1024;
const head = (file: string, n: number): Buffer => readFileSync(file).subarray(0, n);

describe('twin images', function () {
  this.timeout(30 * 60_000);
  let first: EnsureResult;

  before(async () => {
    first = await ensureTwinImages();
  });

  it('gives Xen as a plain (gunzipped) ELF and a bzImage kernel', () => {
    const { xen, dom0Kernel, guestKernel } = first.images;
    assert.deepEqual([...head(xen, 4)], [0x7f, 0x45, 0x4c, 0x46], 'xen must be ELF, not gzip');
    assert.ok(statSync(xen).size > 1 * MiB);
    for (const k of [dom0Kernel, guestKernel]) {
      assert.equal(readFileSync(k).subarray(0x202, 0x206).toString('latin1'), 'HdrS', `${k} is not a bzImage`);
      assert.ok(statSync(k).size > 4 * MiB);
    }
  });

  it('gives a dom0 initramfs of a sane size and a small guest initramfs', () => {
    const { dom0Initrd, guestInitrd } = first.images;
    const dom0 = statSync(dom0Initrd).size;
    assert.ok(dom0 > 30 * MiB && dom0 < 400 * MiB, `dom0 initramfs is ${dom0} bytes`);
    const magic = head(dom0Initrd, 6).toString('latin1');
    assert.ok(
      magic === '070701' || magic.startsWith('\x1f\x8b'),
      `dom0 initramfs starts with ${JSON.stringify(magic)}`,
    );
    const guest = statSync(guestInitrd).size;
    assert.ok(guest > 1 * MiB && guest < 64 * MiB, `guest initramfs is ${guest} bytes`);
    assert.deepEqual([...head(guestInitrd, 2)], [0x1f, 0x8b]);
    assert.ok(statSync(first.images.seabios).size >= 128 * 1024);
  });

  it("the PV guests' kernel: the real bzImage's payload unpacks to an ELF of the size its build appended", async () => {
    // test/images/vmlinux.test.ts builds its bzImages on the same layout the code reads; this is
    // Debian's own kernel, the one the image set's guest/vmlinux.gz comes from.
    const dir = mkdtempSync(join(tmpdir(), 'twin-vmlinux-'));
    try {
      const payload = bzImagePayload(readFileSync(first.images.dom0Kernel));
      assert.ok(payload.size && payload.size > 16 * MiB, `appended size ${payload.size}`);
      const out = join(dir, 'vmlinux.gz');
      await writeVmlinuxGz(first.images.dom0Kernel, out, dir);
      const elf = gunzipSync(readFileSync(out));
      assert.deepEqual([...elf.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
      assert.equal(elf.length, payload.size);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the versions it was built from', () => {
    assert.match(first.images.xenVersion, /^4\.17\.\d+$/);
    assert.match(first.images.kernelVersion, /^\d+\.\d+\.\d+-\d+-amd64$/);
    assert.equal(first.manifest.key, first.images.key);
  });

  it('holds no iPXE script of its own: the twin boots only through the boot server', () => {
    assert.deepEqual(readdirSync(first.images.bootDir).sort(), ['dom0.cpio', 'vmlinuz', 'xen']);
    assert.ok(DEFAULT_XEN_COMMAND_LINE.includes('iommu=verbose,debug'));
  });

  it('pins each SSH server host key under its loopback port', () => {
    const k = twinKeyPaths();
    const known = readFileSync(k.knownHosts, 'utf8');
    for (const [port, key] of [
      [twinPorts.controllerSsh, k.controllerHost],
      [twinPorts.dom0Ssh, k.dom0Host],
      [twinPorts.guestSsh, k.guestHost],
    ] as const) {
      const pub = readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
      assert.ok(known.includes(`[127.0.0.1]:${port} ${pub}`), `known_hosts lacks port ${port}`);
      assert.equal(statSync(key).mode & 0o077, 0, `${key} is readable by others`);
    }
  });

  it('reuses the cache on the second call without rebuilding', async () => {
    const again = await ensureTwinImages();
    assert.equal(again.built, false);
    assert.equal(again.images.dir, first.images.dir);
    assert.equal(again.manifest.builtAt, first.manifest.builtAt);
    assert.deepEqual(again.images, first.images);
  });

  it('tells installed host packages from missing ones and prints one install line', async () => {
    assert.deepEqual(await missingPackages(['dpkg', 'no-such-package-iommu-lab']), ['no-such-package-iommu-lab']);
    assert.equal(
      installCommand(['qemu-system-x86', 'kmod']),
      'apt-get install -y --no-install-recommends qemu-system-x86 kmod',
    );
  });
});
