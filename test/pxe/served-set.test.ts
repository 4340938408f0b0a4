// Which files a boot may serve: resolved before the server listens, each inside the root.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import { resolveServedSet } from '../../lib/pxe/served-set.ts';
import { makeImageSet, pxeRig } from './image-set.ts';

async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => assert.fail('accepted'),
    (x: unknown) => x,
  );
  assert.ok(isRigError(e), String(e));
  assert.ok(!e.message.includes('\n'), e.message);
  return e;
}

describe('pxe/served-set', () => {
  it('maps the fixed request paths to the real files', async () => {
    const set = makeImageSet();
    const files = await resolveServedSet(pxeRig(set).boot.server!);
    assert.deepEqual(
      files.map((f) => [f.path, f.what, f.file]),
      [
        ['/xen', 'Xen', join(set.root, 'xen')],
        ['/dom0/kernel', 'dom0 kernel', join(set.root, 'vmlinuz')],
        ['/dom0/initrd', 'dom0 initramfs', join(set.root, 'dom0.cpio.gz')],
        ['/guest/guest/initrd.gz', 'guest image', join(set.root, 'guest', 'initrd.gz')],
      ],
    );
  });

  it('refuses a symlink that resolves outside the root, naming both paths', async () => {
    const set = makeImageSet();
    symlinkSync(set.secret, join(set.root, 'xen-link'));
    const e = await refusal(resolveServedSet(pxeRig(set, { xen: 'xen-link' }).boot.server!));
    assert.equal(e.code, 'PXE_OUTSIDE_ROOT');
    assert.match(
      e.message,
      /^boot\.server\.files\.xen: \S+xen-link resolves to \S+shadow, outside \S+images: not served$/,
    );
  });

  it('refuses a directory symlinked out of the root', async () => {
    const set = makeImageSet();
    symlinkSync(join(set.root, '..'), join(set.root, 'up'));
    const e = await refusal(resolveServedSet(pxeRig(set, { guests: ['up/shadow'] }).boot.server!));
    assert.equal(e.code, 'PXE_OUTSIDE_ROOT');
  });

  it('follows a symlink that stays inside the root (a "current" build link)', async () => {
    const set = makeImageSet();
    mkdirSync(join(set.root, 'build-7'));
    writeFileSync(join(set.root, 'build-7', 'xen'), 'x');
    symlinkSync('build-7', join(set.root, 'current'));
    const files = await resolveServedSet(pxeRig(set, { xen: 'current/xen' }).boot.server!);
    assert.equal(files[0]!.file, join(set.root, 'build-7', 'xen'));
  });

  it('says which image is missing, and that the image set must be built there', async () => {
    const set = makeImageSet();
    const e = await refusal(resolveServedSet(pxeRig(set, { dom0Initrd: 'nope.cpio' }).boot.server!));
    assert.equal(e.code, 'PXE_IMAGE_MISSING');
    assert.match(
      e.message,
      /^boot\.server\.files\.dom0Initrd: \S+\/nope\.cpio does not exist: build or copy the image set there/,
    );
  });

  it('refuses a directory where a file is expected, and a missing root', async () => {
    const set = makeImageSet();
    const dir = await refusal(resolveServedSet(pxeRig(set, { guests: ['guest'] }).boot.server!));
    assert.match(dir.message, /^boot\.server\.files\.guests\[0\]: \S+ is not a regular file/);
    const rig = pxeRig(set);
    rig.boot.server!.root = join(set.root, 'gone');
    const root = await refusal(resolveServedSet(rig.boot.server!));
    assert.equal(root.code, 'PXE_IMAGE_MISSING');
    assert.match(root.message, /^boot\.server\.root: \S+gone does not exist/);
  });
});
