// `iommu-lab power on` as CI runs it: a real CLI process with a `command` switch, interrupted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../../../lib/core/time.ts';
import { alive } from '../../helpers/processes.ts';
import { baseRig } from '../../rig/base-rig.ts';

describe('cli: power', function () {
  this.timeout(60_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'power-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGINT during `power on` stops the switch program and what it started, and frees the lock', async () => {
    const pidFile = join(dir, 'pid');
    const rig = {
      ...structuredClone(baseRig),
      // A PDU script that hangs (an unreachable PDU): it starts a helper and waits for it.
      power: { kind: 'command', on: ['sh', '-c', 'sleep 120 & echo $! > "$1"; wait', 'pdu', pidFile], off: ['true'] },
      lock: { kind: 'local', dir },
    };
    delete (rig as { flasher?: unknown }).flasher;
    writeFileSync(join(dir, 'rig.json'), JSON.stringify(rig));
    const cli = spawn(process.execPath, ['bin/iommu-lab.js', 'power', 'on', '--rig', join(dir, 'rig.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    cli.stdout.on('data', (d) => (out += d));
    cli.stderr.on('data', (d) => (out += d));
    for (let i = 0; i < 300 && !existsSync(pidFile); i++) await sleep(50);
    assert.ok(existsSync(pidFile), `the switch program never ran: ${out}`);
    const helper = Number(readFileSync(pidFile, 'utf8'));
    cli.kill('SIGINT'); // only the CLI, as `kill -INT` from a CI runner does
    const [code] = await once(cli, 'exit');
    assert.equal(code, 130, out);
    await sleep(200);
    assert.equal(alive(helper), false, `the switch program's helper still runs after SIGINT\n${out}`);
    assert.equal(existsSync(join(dir, 'bench-3.lock')), false, 'lock left behind');
  });
});
