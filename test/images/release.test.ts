// Every name that carries Xen's version comes from the release: Debian 12 builds exactly what
// the twin always built (4.17), Debian 13 the 4.20 names, and nothing in the builder or dom0's
// /init spells a version itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dom0Packages, renderXenToolsConfig } from '../../lib/images/dom0.ts';
import { FILES_DIR } from '../../lib/images/files.ts';
import {
  BOOKWORM,
  releaseNamed,
  TRIXIE,
  xenBinaryIn,
  xenPackage,
  xenToolsDir,
  xenToolsPackage,
} from '../../lib/images/release.ts';

describe('images/release', () => {
  it("Debian 12 names Xen 4.17's packages, files and tools folder", () => {
    assert.equal(xenPackage(BOOKWORM), 'xen-hypervisor-4.17-amd64');
    assert.equal(xenToolsPackage(BOOKWORM), 'xen-utils-4.17');
    assert.equal(xenBinaryIn(BOOKWORM), 'boot/xen-4.17-amd64.gz');
    assert.equal(xenToolsDir(BOOKWORM), '/usr/lib/xen-4.17/bin');
  });

  it("Debian 13 names Xen 4.20's", () => {
    assert.equal(xenPackage(TRIXIE), 'xen-hypervisor-4.20-amd64');
    assert.equal(xenToolsPackage(TRIXIE), 'xen-utils-4.20');
    assert.equal(xenBinaryIn(TRIXIE), 'boot/xen-4.20-amd64.gz');
    assert.equal(xenToolsDir(TRIXIE), '/usr/lib/xen-4.20/bin');
  });

  it('is found by Xen version, id or codename, and nothing else', () => {
    for (const n of ['4.20', 'xen420', 'trixie']) assert.equal(releaseNamed(n), TRIXIE);
    for (const n of ['4.17', 'xen417', 'bookworm']) assert.equal(releaseNamed(n), BOOKWORM);
    for (const n of ['4.19', '', 'sid']) assert.equal(releaseNamed(n), undefined);
  });

  it("dom0 gets the release's Xen tools, never the other release's", () => {
    assert.ok(dom0Packages(TRIXIE).includes('xen-utils-4.20'));
    assert.ok(!dom0Packages(TRIXIE).some((p) => p.includes('4.17')));
    assert.ok(dom0Packages(BOOKWORM).includes('xen-utils-4.17'));
    // The rest is the same list: HVM device model and the tools the suites run.
    for (const p of ['qemu-system-xen', 'seabios', 'pciutils', 'iperf3', 'dropbear-bin'])
      assert.ok(dom0Packages(TRIXIE).includes(p) && dom0Packages(BOOKWORM).includes(p), p);
  });

  it("dom0's /init takes the tools folder from the baked file, not a version of its own", () => {
    const init = readFileSync(join(FILES_DIR, 'dom0-init.sh'), 'utf8');
    assert.doesNotMatch(init.replace(/^#.*$/gm, ''), /xen-4\.\d+/);
    assert.match(init, /^\. \/etc\/iommu-lab\/dom0-xen$/m);
    assert.equal(renderXenToolsConfig(TRIXIE), 'XEN=/usr/lib/xen-4.20/bin\n');
  });
});
