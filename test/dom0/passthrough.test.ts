// Passthrough.guestFor: a running guest of the asked type is handed on only while it answers and
// still holds the NIC; otherwise it is destroyed and a fresh one is booted (here: `xl create`
// fails on purpose, which proves the fresh path was taken). dom0 and the guest are scripted
// shells answering as the twin's dom0 does (the real path runs in the twin's main job).
import assert from 'node:assert/strict';
import type { CommandResult } from '../../lib/core/result.ts';
import { GuestDomain } from '../../lib/dom0/guest-domain.ts';
import { Passthrough } from '../../lib/dom0/passthrough.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { Passthroughs } from '../../lib/run/passthroughs.ts';

const ok = (stdout = '', exitCode = 0): CommandResult => ({
  command: 'scripted',
  exitCode,
  stdout,
  stderr: exitCode ? 'refused' : '',
  durationMs: 1,
  timedOut: false,
});

function scripted(answers: [RegExp, () => CommandResult | Promise<CommandResult>][]) {
  const log: string[] = [];
  const shell: RemoteShell = {
    description: 'scripted',
    async run(command) {
      log.push(command);
      const hit = answers.find(([re]) => re.test(command));
      return hit ? hit[1]() : ok();
    },
    async check(command) {
      return this.run(command);
    },
    async upload() {},
    async download() {},
    async reconnect() {},
    async close() {},
  };
  return { shell, log };
}

const rig = {
  name: 'scripted',
  guests: { types: ['hvm', 'pv'], memoryMiB: 256, ssh: { host: '127.0.0.1', port: 1, user: 'root' } },
} as unknown as Rig;

/** A guest as GuestDomain.start leaves it, without booting one. */
function running(dom0: RemoteShell, guest: RemoteShell, type: 'hvm' | 'pv'): GuestDomain {
  const Ctor = GuestDomain as unknown as new (...a: unknown[]) => GuestDomain;
  return new Ctor(dom0, { name: `iommu-lab-${type}`, type, pci: ['02:00.0'] }, guest, 42_000, Date.now() - 5_000);
}

const LSPCI = '02:00.0 Ethernet controller [0200]: Intel Corporation 82574L Gigabit Network Connection [8086:10d3]\n';

describe('dom0/passthrough: the guest as a run-level fixture', () => {
  let pciList: string;
  let guestAnswers: boolean;
  let dom0: ReturnType<typeof scripted>;
  let guest: ReturnType<typeof scripted>;

  beforeEach(() => {
    pciList = 'Vdev Device\n00.0 0000:02:00.0\n';
    guestAnswers = true;
    dom0 = scripted([
      [/pci-list/, () => ok(pciList)],
      [/xl.* create/, () => ok('', 3)],
      [/lspci -nn/, () => ok(LSPCI)],
    ]);
    guest = scripted([[/^true$/, () => ok('', guestAnswers ? 0 : 255)]]);
  });

  it('hands on a guest of the same type that answers and still holds the NIC: no xl create', async () => {
    const pt = new Passthrough(dom0.shell, rig, '02:00.0');
    pt.domain = running(dom0.shell, guest.shell, 'hvm');
    const g = await pt.guestFor('hvm');
    assert.equal(g, guest.shell);
    assert.equal(pt.reusedLast, true);
    assert.ok(!dom0.log.some((c) => /create|destroy/.test(c)), dom0.log.join('\n'));
  });

  for (const [why, spoil] of [
    ['a guest that no longer answers SSH', () => (guestAnswers = false)],
    ['a guest whose xl pci-list lost the NIC', () => (pciList = 'Vdev Device\n')],
  ] as const) {
    it(`${why} is destroyed and a fresh one booted`, async () => {
      spoil();
      const pt = new Passthrough(dom0.shell, rig, '02:00.0');
      pt.domain = running(dom0.shell, guest.shell, 'hvm');
      await assert.rejects(pt.guestFor('hvm'), /xl create/);
      assert.equal(pt.reusedLast, false);
      const destroyAt = dom0.log.findIndex((c) => /xl destroy/.test(c));
      const createAt = dom0.log.findIndex((c) => /xl.* create/.test(c));
      assert.ok(destroyAt >= 0 && createAt > destroyAt, dom0.log.join('\n'));
      assert.ok(
        dom0.log.some((c) => /pci-assignable-add/.test(c)),
        'the NIC is seized again before the boot',
      );
    });
  }

  it('a guest of the other type is never handed on', async () => {
    const pt = new Passthrough(dom0.shell, rig, '02:00.0');
    pt.domain = running(dom0.shell, guest.shell, 'pv');
    await assert.rejects(pt.guestFor('hvm'), /xl create/);
    assert.ok(!guest.log.length, 'the PV guest was not even asked');
  });

  it('withGuest destroys the guest when its body fails, and keeps it when it passes', async () => {
    const pt = new Passthrough(dom0.shell, rig, '02:00.0');
    pt.domain = running(dom0.shell, guest.shell, 'hvm');
    assert.equal(await pt.withGuest('hvm', async () => 'measured'), 'measured');
    assert.ok(pt.domain, 'kept for the next test');
    await assert.rejects(
      pt.withGuest('hvm', async () => {
        throw new Error('no traffic');
      }),
      /no traffic/,
    );
    assert.equal(pt.domain, undefined);
    assert.ok(dom0.log.some((c) => /xl destroy/.test(c)));
  });

  it('the run hands every suite the same passthrough per NIC and gives back only what is held', async () => {
    const all = new Passthroughs(rig);
    const a = all.get(dom0.shell, '02:00.0');
    assert.equal(all.get(dom0.shell, '0000:02:00.0'), a, 'one per NIC, however it is spelt');
    await all.releaseAll();
    assert.ok(!dom0.log.some((c) => /assignable-remove/.test(c)), 'nothing held, nothing given back');
    const b = all.get(dom0.shell, '02:00.0');
    b.domain = running(dom0.shell, guest.shell, 'hvm');
    await all.releaseAll();
    assert.ok(dom0.log.some((c) => /xl destroy/.test(c)));
    assert.ok(dom0.log.some((c) => /pci-assignable-remove.*-r/.test(c)));
  });
});
