// GRUB EFI built by Debian's grub-mkstandalone with the stub inside, once per content; and the
// one-line lab error when the tool is missing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import { renderGrubStub } from '../../lib/pxe/grub-cfg.ts';
import { grubEfi } from '../../lib/pxe/grub-efi.ts';
import { savedEnv } from '../helpers/saved-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { onPath, skipWithout } from '../helpers/tools.ts';

/** A PE32+ image for x86-64: what UEFI loads (the PE header's machine field 0x8664). */
function isPe64(b: Buffer): boolean {
  const pe = b.readUInt32LE(0x3c);
  return (
    b.subarray(0, 2).toString() === 'MZ' &&
    b.subarray(pe, pe + 4).toString('latin1') === 'PE\0\0' &&
    b.readUInt16LE(pe + 4) === 0x8664
  );
}

describe('pxe/grub-efi', function () {
  this.timeout(120_000);
  const restoreEnv = savedEnv('IOMMU_LAB_GRUB_CACHE', 'PATH');
  afterEach(() => restoreEnv());

  it('builds an x86-64 EFI binary holding the stub, then serves it from the cache', async function () {
    if (!onPath('grub-mkstandalone'))
      skipWithout(this, 'no grub-mkstandalone on PATH', 'apt-get install grub-efi-amd64-bin');
    process.env.IOMMU_LAB_GRUB_CACHE = tempDir('grub-cache-');
    const stub = renderGrubStub('http://10.0.0.9:8080');
    const first = await grubEfi(stub);
    assert.equal(first.cached, false);
    assert.ok(isPe64(first.bytes), 'a PE32+ x86-64 image');
    // The memdisk is an uncompressed tar: the stub is in the binary as written.
    assert.ok(first.bytes.includes(Buffer.from("source '(http,10.0.0.9:8080)/efi/grub.cfg'")));
    assert.match(first.tool, /^grub-mkstandalone \(GRUB\) /);
    const again = await grubEfi(stub);
    assert.equal(again.cached, true);
    assert.equal(again.file, first.file);
    const other = await grubEfi(renderGrubStub('http://10.0.0.9:8081'));
    assert.notEqual(other.file, first.file, 'another stub, another cache entry');
  });

  it("Debian's GRUB takes a port in (http,host:port): its net.mod and http.mod carry the port patch", function () {
    const dir = '/usr/lib/grub/x86_64-efi';
    if (!existsSync(join(dir, 'http.mod')))
      skipWithout(this, `no ${dir}/http.mod`, 'apt-get install grub-efi-amd64-bin');
    assert.ok(readFileSync(join(dir, 'net.mod')).includes('bad port number'));
    assert.ok(readFileSync(join(dir, 'http.mod')).includes('opening path %s on host %s TCP port %d'));
  });

  it('without grub-mkstandalone: one line naming the part, the cause and the package', async () => {
    process.env.IOMMU_LAB_GRUB_CACHE = tempDir('grub-cache-');
    process.env.PATH = tempDir('empty-path-');
    const e = await grubEfi('echo x\n').catch((x) => x);
    assert.ok(isRigError(e, 'PXE_GRUB_MISSING'), String(e));
    assert.equal(e.part, 'pxe');
    assert.match(e.message, /^grub-mkstandalone not found: .*; apt-get install grub-efi-amd64-bin$/);
  });
});
