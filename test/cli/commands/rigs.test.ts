// `rigs --json` for tooling: one JSON array naming each rig, whether it is valid and why not,
// what it wires; exit 2 when one is invalid; no secret value, only references exist in rigs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedRigSecretsEnv } from '../../helpers/shipped-rig-secrets.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// The shipped rigs' secrets are read at load: stand-ins for them (or an override per test).
const cli = (...args: string[]) => cliWith({}, ...args);
const cliWith = (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/iommu-lab.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...shippedRigSecretsEnv(), ...env },
  });
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
      kernel: '/usr/lib/iommu-lab/guest/vmlinux.gz',
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

  it('names a rig whose secret variable is unset, or whose key file is missing, as invalid (exit 2, #24 D6)', () => {
    const r = cliWith({ TASMOTA_PASSWORD: '' }, 'rigs', '--json', '--rig', 'rigs/apu2-tasmota.ts');
    assert.equal(r.code, 2, r.err);
    const [tasmota] = JSON.parse(r.out);
    assert.equal(tasmota.valid, false);
    assert.match(tasmota.error, /power\.password: environment variable TASMOTA_PASSWORD is not set/);
    const home = mkdtempSync(join(tmpdir(), 'rigs-home-'));
    const k = cliWith({ HOME: home }, 'rigs', '--json', '--rig', 'rigs/apu2-rte.ts');
    assert.equal(k.code, 2, k.err);
    assert.match(
      JSON.parse(k.out)[0].error,
      /flasher\.controller\.privateKey: cannot read secret file .*id_rte: ENOENT/,
    );
  });
});
