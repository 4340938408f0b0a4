// `iommu-lab twin fault` as a process, without a twin: the list, a mistyped fault, a twin that is
// not up — each one line, exit 2 for the errors (the faults themselves: test/twin/fault-matrix).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULT_NAMES, FAULTS } from '../../../twin/index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// An empty twin home: no daemon, no fault socket — the real twin is never touched.
const home = mkdtempSync(join(tmpdir(), 'twin-fault-cli-'));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/iommu-lab.js', 'twin', 'fault', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, IOMMU_LAB_TWIN_HOME: home },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('cli twin fault', function () {
  this.timeout(30_000);

  it('list names every fault with what it does', () => {
    const r = cli('list');
    assert.equal(r.code, 0, r.err);
    for (const f of [
      'power-500',
      'power-hang',
      'serial-drop',
      'serial-takeover',
      'ssh-drop',
      'boot-hang',
      'panic',
      'pciback-refuse',
      'guest-hang',
      'clear',
    ])
      assert.match(r.out, new RegExp(`^${f} +\\S`, 'm'));
  });

  it('--help lists every fault record and which faults take each option', () => {
    const r = cli('--help');
    assert.equal(r.code, 0, r.err);
    const flat = r.out.replace(/\s+/g, ' ');
    for (const n of FAULT_NAMES) {
      assert.match(r.out, new RegExp(`^  ${n} +\\S`, 'm'), n);
      assert.ok(flat.includes(FAULTS[n].describe), `${n}: ${FAULTS[n].describe}`);
    }
    assert.match(flat, /--count <n> power-500, power-hang: /);
    assert.match(flat, /--wait-ms <ms> ssh-drop, panic, pciback-refuse, guest-hang: /);
  });

  it('an unknown fault or a bad count is a usage error, one line, exit 2', () => {
    const r = cli('meteor');
    assert.equal(r.code, 2);
    assert.match(r.err, /^iommu-lab: no twin fault "meteor" \(one of: power-500, .*\)\n$/);
    const c = cli('power-500', '--count', '0');
    assert.equal(c.code, 2);
    assert.match(c.err, /--count must be a positive integer/);
  });

  it('a twin that is not up is one line naming the socket, exit 2, no stack', () => {
    const r = cli('clear');
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /^iommu-lab: twin error \(TWIN_FAULT\): twin fault clear: the twin daemon does not answer on .*fault\.sock \(ENOENT\): is the twin up\?\n$/,
    );
  });
});
