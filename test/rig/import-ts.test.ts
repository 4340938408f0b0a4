// TypeScript rigs where a lab keeps them: in its own directory, outside this package (no
// package.json with "type": "module"), importing defineRig by absolute path.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRig, RigFileError } from '../../lib/rig/load.ts';
import { baseRig } from './base-rig.ts';

const DEFINE = resolve(import.meta.dirname, '../../lib/rig/define.ts');

describe('rig/import-ts: a .ts rig outside the repository', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-rigs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, `import { defineRig } from ${JSON.stringify(DEFINE)};\n${body}`);
    return file;
  };

  it('loads and validates it', async () => {
    const file = write('bench-9.ts', `export default defineRig(${JSON.stringify({ ...baseRig, name: 'bench-9' })});\n`);
    const rig = await loadRig(file);
    assert.equal(rig.name, 'bench-9');
    assert.equal(rig.dom0.port, 22);
  });

  it('loads it in the CLI too (`iommu-lab rigs`), where Node would refuse it as CommonJS', async () => {
    const file = write(
      'bench-cli.ts',
      `export default defineRig(${JSON.stringify({ ...baseRig, name: 'bench-cli' })});\n`,
    );
    const r = spawnSync(process.execPath, ['bin/iommu-lab.js', 'rigs', '--rig', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ok +bench-cli +PC Engines apu2; power rte, console tcp/);
  });

  it('keeps file:line:column of a syntax error, in one line', async () => {
    const file = write('broken.ts', "const rig = {\n  name: 'x',,\n};\nexport default defineRig(rig as never);\n");
    const e = await loadRig(file).catch((x: unknown) => x);
    assert.ok(e instanceof RigFileError);
    assert.equal(e.message, `${file}:3:12: cannot be loaded: Expected identifier but found ","`);
  });

  it('shows a runtime error at load by its first line', async () => {
    const file = write('throws.ts', "throw new Error('lab config server unreachable');\n");
    await assert.rejects(
      loadRig(file),
      (e: Error) => e.message === `${file}: cannot be loaded: lab config server unreachable`,
    );
  });

  it('never prints the value of `password: process.env.X`', async () => {
    process.env.TEST_RIG_DOM0_PW = 'real-dom0-Passw0rd';
    try {
      const rig = { ...structuredClone(baseRig), name: 'bench-env' };
      const body = JSON.stringify(rig).replace('{"env":"DOM0_PASSWORD"}', 'process.env.TEST_RIG_DOM0_PW');
      const file = write('bench-env.ts', `export default defineRig(${body} as never);\n`);
      const e = await loadRig(file).catch((x: unknown) => x);
      assert.ok(e instanceof RigFileError);
      assert.match(e.message, /dom0\.password: a literal string \(not shown\)/);
      assert.doesNotMatch(e.message, /real-dom0/);
    } finally {
      delete process.env.TEST_RIG_DOM0_PW;
    }
  });
});
