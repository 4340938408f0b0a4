// The guest-side collector: finds the NIC's interface by its PCI address in the guest, runs the
// commands a busybox or Debian guest has, and diagnoses from their (recorded) outputs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CommandResult } from '../../lib/core/result.ts';
import { guestNicDiagnosis } from '../../lib/net/guest-nic-view.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';

const fx = (name: string) => readFileSync(new URL(`../fixtures/net/${name}`, import.meta.url), 'utf8');

/** A guest shell answering from recorded outputs by the command's first words. */
function guest(answers: [RegExp, string][]): RemoteShell & { seen: string[] } {
  const seen: string[] = [];
  const run = async (command: string) => {
    seen.push(command);
    const hit = answers.find(([re]) => re.test(command));
    return { command, exitCode: hit ? 0 : 1, stdout: hit?.[1] ?? '', stderr: '', durationMs: 1 } as CommandResult;
  };
  return { description: 'guest', seen, run, check: run } as unknown as RemoteShell & { seen: string[] };
}

describe('net/guest-nic-view', () => {
  it('a stuck NIC (link, address, nothing received, no queue interrupts) is NIC_NO_TRAFFIC', async () => {
    const g = guest([
      [/^ls '?\/sys\/bus\/pci\/devices\/0000:00:05\.0\/net/, 'eth0\n'],
      [/^ip -s link/, fx('ip-s-link-no-traffic.txt')],
      [/^ip -4 addr/, fx('ip-o-addr.txt')],
      [/^cat \/proc\/interrupts/, fx('proc-interrupts-pv-guest-stuck.txt')],
      [/^ethtool -S/, fx('ethtool-S-e1000e-stuck.txt')],
    ]);
    const r = await guestNicDiagnosis(g, '00:05.0');
    assert.equal(r?.finding?.code, 'NIC_NO_TRAFFIC');
    assert.match(r!.summary!, /eth0 \(linux\) has link and address 10\.0\.2\.15\/24 but received 0 packets/);
    assert.ok(g.seen.some((c) => c.startsWith('ethtool -S eth0')));
  });

  it('a NIC that moves packets is not stuck', async () => {
    const g = guest([
      [/^ls /, 'eth0\n'],
      [/^ip -s link/, fx('ip-s-link-moving.txt')],
      [/^ip -4 addr/, fx('ip-o-addr.txt')],
      [/^cat \/proc\/interrupts/, fx('proc-interrupts-pv-guest-moving.txt')],
    ]);
    assert.equal((await guestNicDiagnosis(g, '0000:00:05.0'))?.stuck, false);
  });

  it('no interface (driver not bound), or an odd name from the guest: no diagnosis, nothing run with it', async () => {
    assert.equal(await guestNicDiagnosis(guest([[/^ls /, '']]), '00:05.0'), null);
    const g = guest([[/^ls /, 'eth0;reboot\n']]);
    assert.equal(await guestNicDiagnosis(g, '00:05.0'), null);
    assert.equal(g.seen.length, 1);
  });
});
