// `iommu-lab pxe images` refusing what it cannot build, each time in one line and before any
// build starts (a real CLI process; the build itself is test/images/real-build.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.ts';
import { benchRig, writeRig } from '../../images/bench-rig.ts';
import { baseRig } from '../../rig/base-rig.ts';

const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['bin/iommu-lab.js', 'pxe', 'images', ...args], { encoding: 'utf8', env });

function oneLine(r: ReturnType<typeof cli>, re: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, re);
}

describe('cli: pxe images', function () {
  this.timeout(30_000);

  it('refuses a rig without boot.server', () => {
    const r = cli(['--rig', writeRig(baseRig)]);
    oneLine(r, /^iommu-lab: rig bench-3 has no boot\.server: its lab serves the boot itself/);
  });

  it('refuses a software bench: the twin builds its own (into its own cache)', () => {
    const { raw } = benchRig();
    const r = cli(['--rig', writeRig({ ...raw, provider: 'twin' })]);
    oneLine(r, /is a software bench \(provider twin\): it builds its own images \(iommu-lab twin setup\)/);
  });

  it('refuses a rig with no SSH key for the dom0 (IMAGES_NO_KEY)', () => {
    const { raw } = benchRig();
    raw.dom0 = { ...raw.dom0, privateKey: undefined, password: { env: 'DOM0_PASSWORD' } };
    oneLine(cli(['--rig', writeRig(raw)]), /\(IMAGES_NO_KEY\): rig bench-3: dom0 names no privateKey.*authorizedKey/);
  });

  it('refuses a folder it cannot make (IMAGES_ROOT_UNWRITABLE)', () => {
    const { raw } = benchRig();
    const file = join(tempDir('images-out-'), 'a-file');
    writeFileSync(file, '');
    const r = cli(['--rig', writeRig(raw), '--out', join(file, 'apu2')]);
    oneLine(r, /\(IMAGES_ROOT_UNWRITABLE\): cannot build into \S+a-file\/apu2: ENOTDIR: .*--out/);
  });

  it('names the missing host tools and the apt-get line that installs them (IMAGES_HOST_TOOLS)', () => {
    const { raw, root } = benchRig();
    // The CLI is started by absolute path; with nothing on PATH only sbin is searched.
    const r = cli(['--rig', writeRig(raw)], { ...process.env, PATH: tempDir('images-empty-path-') });
    oneLine(
      r,
      /\(IMAGES_HOST_TOOLS\): building images needs mmdebstrap, .*; as root: apt-get install -y --no-install-recommends mmdebstrap /,
    );
    // Nothing was generated before the check failed but the (empty) root itself.
    assert.ok(!existsSync(join(root, '.keys')));
  });

  it('refuses a dom0 initramfs name it cannot compress as named', () => {
    const { raw } = benchRig();
    (raw.boot.server as { files: { dom0Initrd: string } }).files.dom0Initrd = 'dom0.cpio.xz';
    oneLine(cli(['--rig', writeRig(raw)]), /dom0\.cpio\.xz: only gzip is built/);
  });
});
