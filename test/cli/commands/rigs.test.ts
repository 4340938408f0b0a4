// `rigs --json` for tooling: one JSON array naming each rig, whether it is valid and why not,
// what it wires; exit 2 when one is invalid; no secret value, only references exist in rigs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/iommu-lab.js', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('cli/commands/rigs --json', function () {
  this.timeout(60_000);

  it('lists every rig of rigs/ as one JSON array, exit 0 when all are valid', () => {
    const r = cli('rigs', '--json');
    assert.equal(r.code, 0, r.err);
    const rigs = JSON.parse(r.out) as {
      name: string;
      file: string;
      valid: boolean;
      power: string;
      capabilities: object;
    }[];
    const twin = rigs.find((x) => x.name === 'apu2-twin');
    assert.ok(twin, r.out);
    assert.deepEqual([twin.file, twin.valid, twin.power], ['rigs/apu2-twin.ts', true, 'rte']);
    assert.ok(rigs.every((x) => x.valid && x.capabilities));
  });

  it("shows apu2-rte valid, on a telnet console, with the image set's guests logged into by key", () => {
    const r = cli('rigs', '--json', '--rig', 'rigs/apu2-rte.ts');
    assert.equal(r.code, 0, r.err);
    const [rte] = JSON.parse(r.out);
    assert.equal(rte.valid, true, rte.error);
    assert.deepEqual([rte.console, rte.consoleProtocol], ['tcp', 'telnet']);
    assert.deepEqual(rte.guests, {
      types: ['hvm', 'pv'],
      kernel: '/usr/lib/iommu-lab/guest/vmlinuz',
      ramdisk: '/usr/lib/iommu-lab/guest/initrd.gz',
      login: 'key',
    });
  });

  it('names an invalid rig and why, exit 2', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'rigs-json-')), 'broken.json');
    writeFileSync(bad, JSON.stringify({ name: 'broken', power: { kind: 'rte' } }));
    const r = cli('rigs', '--rig', bad, '--json');
    assert.equal(r.code, 2);
    const [entry] = JSON.parse(r.out);
    assert.equal(entry.valid, false);
    assert.equal(entry.name, 'broken');
    assert.match(entry.error, /broken\.json/);
  });
});
