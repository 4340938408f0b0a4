// The product's promises on the twin, through the CLI a firmware pipeline calls:
// the IOMMU-setting round trip, blame for a silent build, and recovery with --restore.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunSummary } from '../../lib/report/summary.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'run-cli-'));

function cli(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/iommu-lab.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function summary(reportDir: string): RunSummary {
  return JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as RunSummary;
}

function firmware(name: string, ...flags: string[]): string {
  const out = join(dir, name);
  const r = cli('twin', 'firmware', ...flags, '-o', out);
  assert.equal(r.code, 0, r.out);
  return out;
}

describe('iommu-lab run on the twin (CLI)', function () {
  this.timeout(900_000);

  it('a build shipped with IOMMU off passes when the rig asks for IOMMU', () => {
    const rom = firmware('shipped.rom', '--iommu', 'off', '--pxe', 'on');
    const rep = join(dir, 'rep-on');
    const r = cli('run', '--firmware', rom, '--suite', 'firmware', 'iommu-detection', '--report-dir', rep);
    assert.equal(r.code, 0, r.out);
    const s = summary(rep);
    assert.equal(s.firmware.settings.onChip?.iommu, true, 'iommu not set on the chip');
    assert.equal(s.suites['iommu-detection']?.verdict, 'passed');
  });

  it("the same build with the rig's firmware settings left out fails, naming the setting and NO_IOMMU", () => {
    const rom = join(dir, 'shipped.rom');
    // Inside the project: a TypeScript rig is an ES module only where package.json says so.
    mkdirSync(join(root, '.cache', 'test-rigs'), { recursive: true });
    const rigFile = join(root, '.cache', 'test-rigs', 'apu2-twin-as-shipped.ts');
    writeFileSync(
      rigFile,
      `import twin from ${JSON.stringify(join(root, 'rigs/apu2-twin.ts'))};\nconst { firmware: _omit, ...rest } = twin;\nexport default { ...rest, name: 'apu2-twin-as-shipped' };\n`,
    );
    const rep = join(dir, 'rep-off');
    const r = cli(
      'run',
      '--rig',
      rigFile,
      '--firmware',
      rom,
      '--suite',
      'firmware',
      'iommu-detection',
      '--report-dir',
      rep,
    );
    assert.equal(r.code, 1, r.out);
    const s = summary(rep);
    assert.equal(s.suites.firmware?.verdict, 'failed');
    assert.equal(s.suites['iommu-detection']?.verdict, 'failed');
    const text = s.problems.map((p) => p.message).join('\n');
    assert.match(text, /iommu0|IOMMU option|iommu1/);
    assert.match(text, /NO_IOMMU/);
  });

  it("a corrupt build is blamed after the known-good image boots; after --restore the twin boots healthy, with the rig's extra Xen option applied", () => {
    const rom = firmware('corrupt.rom', '--corrupt');
    const rep = join(dir, 'rep-corrupt');
    const r = cli('run', '--firmware', rom, '--suite', 'firmware', '--report-dir', rep);
    assert.equal(r.code, 1, r.out);
    assert.match(
      summary(rep)
        .problems.map((p) => p.message)
        .join('\n'),
      /firmware produced no console output/,
    );
    const restore = cli('flash', '--restore');
    assert.equal(restore.code, 0, restore.out);
    // The healthy twin booted from a rig with one more Xen option: the boot server applied the
    // rig's command line (iommu-detection checks xl info's xen_commandline equals it).
    const rigFile = join(root, '.cache', 'test-rigs', 'apu2-twin-noreboot.ts');
    writeFileSync(
      rigFile,
      `import twin from ${JSON.stringify(join(root, 'rigs/apu2-twin.ts'))};\nexport default { ...twin, name: 'apu2-twin-noreboot', boot: { ...twin.boot, xenCommandLine: \`\${twin.boot.xenCommandLine} noreboot\` } };\n`,
    );
    const rep2 = join(dir, 'rep-after');
    const after = cli('run', '--rig', rigFile, '--suite', 'firmware', 'iommu-detection', '--report-dir', rep2);
    assert.equal(after.code, 0, after.out);
    assert.match(summary(rep2).platform.xenCommandLine ?? '', / noreboot$/);
  });
});
