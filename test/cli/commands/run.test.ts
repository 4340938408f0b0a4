// `iommu-lab run` as a real process, for what it decides before touching a bench: an empty
// --firmware is a usage error, --dry-run lists the tests (with their ids) and opens nothing,
// and --rig comes from IOMMU_LAB_RIG when not given.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { shippedRigSecretsEnv } from '../../helpers/shipped-rig-secrets.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/iommu-lab.js', 'run', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...shippedRigSecretsEnv(), IOMMU_LAB_RIG: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli/commands/run', function () {
  this.timeout(60_000);

  it('--firmware "" is a usage error (exit 2): an empty pipeline variable never runs the old build', () => {
    const r = run(['--firmware', '', '--dry-run']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--firmware is empty/);
  });

  it('--firmware naming a Dasharo release: unknown version, no ROM, a missing ROM are usage errors (exit 2, one line)', () => {
    const unknown = run(['--firmware', 'dasharo-uefi:v0.8.0:apu2', '--dry-run']);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(
      unknown.stderr,
      /^iommu-lab: --firmware dasharo-uefi:v0\.8\.0:apu2: no known dasharo-uefi release v0\.8\.0 \(known: v0\.9\.0, v0\.9\.1\)\n$/,
    );
    const noRom = run(['--firmware', 'dasharo-seabios:v24.08.00.01:apu2', '--dry-run']);
    assert.equal(noRom.code, 2, noRom.stderr);
    assert.match(
      noRom.stderr,
      /^iommu-lab: flash refused: dasharo-seabios:v24\.08\.00\.01:apu2: give your copy of the ROM with --firmware-file; the ROM itself is not downloadable: it comes with a Dasharo Pro Package subscription .*\n$/,
    );
    const missing = run([
      '--firmware',
      'dasharo-uefi:v0.9.1:apu2',
      '--firmware-file',
      '/nonexistent/apu2.rom',
      '--dry-run',
    ]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /--firmware-file \/nonexistent\/apu2\.rom: no such file; .*\.\/build\.sh apu2/);
    const plain = run(['--firmware', './build.rom', '--firmware-file', './other.rom', '--dry-run']);
    assert.equal(plain.code, 2, plain.stderr);
    assert.match(plain.stderr, /--firmware-file goes with a Dasharo release .*not with \.\/build\.rom\n$/);
  });

  it('--dry-run lists the tests a run would execute, with ids, honouring --suite and --grep', () => {
    const r = run(['--dry-run', '--suite', 'dma-isolation', '--grep', 'HVM'], { IOMMU_LAB_RIG: 'apu2-tasmota' });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^dma-isolation\s+dma-isolation\/guest-hvm\s+confines the NIC's DMA to the HVM guest/);
    assert.equal(lines.length, 2, r.stdout);
    // The rig came from IOMMU_LAB_RIG.
    assert.match(lines[1]!, /^1 tests in 1 suites on rig apu2-tasmota \(dry run: nothing opened\)$/);
  });

  it('--rig given wins over IOMMU_LAB_RIG; an unknown rig there is refused like one typed', () => {
    assert.match(
      run(['--dry-run', '--suite', 'firmware', '--rig', 'apu2-rte'], { IOMMU_LAB_RIG: 'apu2-tasmota' }).stdout,
      /on rig apu2-rte /,
    );
    const r = run(['--dry-run'], { IOMMU_LAB_RIG: 'no-such-rig' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-rig/);
  });

  it('refuses a rig whose secret variable is unset at load, before anything opens (exit 2, #24 D6)', () => {
    const r = run(['--dry-run', '--suite', 'firmware', '--rig', 'apu2-tasmota'], { TASMOTA_PASSWORD: '' });
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /power\.password: environment variable TASMOTA_PASSWORD is not set/);
    assert.doesNotMatch(r.stdout, /tests in/);
  });
});
