// The image set a boot served, read from the manifest the builder wrote beside its files:
// found through the rig's links (a bench's set) or a folder above the file (the twin's), never
// above boot.server.root, and absent for a hand-made set.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageHash } from '../../lib/images/manifest.ts';
import { servedImages } from '../../lib/pxe/served-manifest.ts';
import { resolveServedSet } from '../../lib/pxe/served-set.ts';
import type { BootServerConfig } from '../../lib/rig/schema.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const sha = { xen: 'aa', vmlinuz: 'bb', 'dom0.cpio.gz': 'cc' };
const manifest = {
  key: '0123456789abcdef',
  flavour: 'bench',
  builtAt: '2026-12-02T17:24:19.046Z',
  versions: {},
  kernelVersion: '6.1.0-57-amd64',
  xenPackageVersion: '4.17.7+13-g2445b30a44-0+deb12u1',
  dom0Compression: 'gzip-1',
  buildMs: 1,
  stepsMs: {},
  sizes: {},
  sha256: sha,
  imageHash: imageHash(sha),
};

function cfg(root: string, files: Partial<BootServerConfig['files']> = {}): BootServerConfig {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    advertise: { host: '127.0.0.1' },
    root,
    files: { xen: 'xen', dom0Kernel: 'vmlinuz', dom0Initrd: 'dom0.cpio.gz', guests: [], ...files },
    dom0CommandLine: 'console=hvc0',
    image: { address: 'dhcp' },
  };
}

function writeSet(dir: string, withManifest = true): void {
  mkdirSync(dir, { recursive: true });
  for (const f of ['xen', 'vmlinuz', 'dom0.cpio.gz']) writeFileSync(join(dir, f), f);
  if (withManifest) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
}

describe('pxe/served-manifest', () => {
  it("reads a bench set through the rig's links (root/xen → sets/current/xen)", async () => {
    const root = tempDir('served-manifest-');
    writeSet(join(root, 'sets', manifest.key));
    symlinkSync(manifest.key, join(root, 'sets', 'current'));
    for (const f of ['xen', 'vmlinuz', 'dom0.cpio.gz']) symlinkSync(join('sets', 'current', f), join(root, f));
    const c = cfg(root);
    assert.deepEqual(await servedImages(root, await resolveServedSet(c)), {
      key: manifest.key,
      imageHash: imageHash(sha),
      xenVersion: '4.17.7',
      xenPackageVersion: manifest.xenPackageVersion,
      dom0Kernel: '6.1.0-57-amd64',
      flavour: 'bench',
      builtAt: manifest.builtAt,
    });
  });

  it("finds the twin's manifest a folder above its boot/ files; an older one without a hash or flavour too", async () => {
    const root = tempDir('served-manifest-');
    writeSet(join(root, 'k', 'boot'), false);
    const { imageHash: _h, flavour: _f, sha256: _s, ...old } = manifest;
    writeFileSync(join(root, 'k', 'manifest.json'), JSON.stringify(old));
    const c = cfg(root, { xen: 'k/boot/xen', dom0Kernel: 'k/boot/vmlinuz', dom0Initrd: 'k/boot/dom0.cpio.gz' });
    const got = await servedImages(root, await resolveServedSet(c));
    assert.equal(got?.key, manifest.key);
    assert.equal(got?.imageHash, null);
    assert.equal(got?.flavour, null);
  });

  it('records nothing for a hand-made set, and never looks above the root', async () => {
    const top = tempDir('served-manifest-');
    writeFileSync(join(top, 'manifest.json'), JSON.stringify(manifest));
    const root = join(top, 'images');
    writeSet(root, false);
    assert.equal(await servedImages(root, await resolveServedSet(cfg(root))), undefined);
  });
});
