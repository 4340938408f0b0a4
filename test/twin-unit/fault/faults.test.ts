// The fault records are the one list of the twin's faults: the README's list is theirs, each
// option a record names is one the CLI offers, and the injector applies a record as written.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FAULT_NAMES, FAULT_OPTIONS, FAULTS, faultsTaking, type TwinFault } from '../../../twin/fault/faults.ts';
import { FaultInjector } from '../../../twin/fault/injector.ts';
import type { SerialServer } from '../../../twin/serial/server.ts';
import { BEGIN, END, README, withFaultList } from '../../../twin/tools/faults-doc.ts';

describe('twin fault records', () => {
  it("twin/README.md's list is the records' (run `npm run docs` after adding one)", () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(readme, withFaultList(readme), 'twin/README.md fault list is stale: npm run docs');
    const block = readme.slice(readme.indexOf(BEGIN), readme.indexOf(END));
    for (const n of FAULT_NAMES) assert.match(block, new RegExp(`^- \`${n}\``, 'm'));
    assert.match(block, /`guest-hang`/);
  });

  it('every record says what it does and takes only options the CLI has', () => {
    assert.ok(FAULT_NAMES.length >= 10);
    for (const n of FAULT_NAMES) {
      const f: TwinFault = FAULTS[n];
      assert.ok(f.describe.length > 10, n);
      for (const o of f.options) assert.ok(Object.hasOwn(FAULT_OPTIONS, o), `${n}: ${o}`);
    }
    assert.deepEqual(faultsTaking('count'), ['power-500', 'power-hang']);
    assert.deepEqual(faultsTaking('holdMs'), ['serial-takeover']);
  });

  it('the injector applies a power record and clear ends it', async () => {
    const drops: string[] = [];
    const drop = async () => {
      drops.push('x');
      return false;
    };
    const serial = { drop } as unknown as SerialServer;
    const inj = new FaultInjector({ serial, serialPort: 1, dom0SshPort: 1, freezeBoard: async () => false });
    assert.match(await inj.inject('power-500', { count: 2 }), /next 2 power API requests answer 500/);
    assert.deepEqual([inj.powerFault(), inj.powerFault(), inj.powerFault()], ['fail', 'fail', undefined]);
    await inj.inject('power-hang');
    assert.equal(inj.powerFault(), 'hang');
    assert.equal(await inj.inject('clear'), 'power faults cleared');
    assert.equal(inj.powerFault(), undefined);
    await assert.rejects(inj.inject('serial-drop'), /no serial client to drop/);
    await assert.rejects(inj.inject('boot-hang'), /the board is not running/);
    assert.equal(drops.length, 1);
  });
});
