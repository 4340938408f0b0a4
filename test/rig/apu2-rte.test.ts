// The shipped real-bench rig as a real apu2 + RTE bench needs it (issue #20): a telnet console
// (the RTE's ser2net), guests the image set builds (no disk: the PXE dom0 has no LVM or disk
// drivers) logged into with the key the image set authorises, a 10 s off time, faults expected
// from a real AMD-Vi, and a flash chip flashrom probes instead of one forced with -c.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boardChips } from '../../flash/flasher/flashrom.ts';
import { authorizedKeysFor } from '../../lib/images/bench-keys.ts';
import { DOM0_GUEST_PATHS } from '../../lib/images/dom0.ts';
import { loadRigWithInput } from '../../lib/rig/load.ts';
import type { Rig } from '../../lib/rig/schema.ts';

const RIG = new URL('../../rigs/apu2-rte.ts', import.meta.url).pathname;

describe('rigs/apu2-rte.ts (shipped)', () => {
  let rig: Rig;
  before(async () => {
    // What the file says; its secrets live on the bench's test host (lib/rig/rig-secrets.ts).
    rig = (await loadRigWithInput(RIG)).rig;
  });

  it('reaches the console through the RTE ser2net telnet accepter on 13541', () => {
    assert.deepEqual(rig.console, { kind: 'tcp', host: '192.168.10.199', port: 13541, protocol: 'telnet' });
  });

  it('boots its guests from the files the image set puts into dom0: PV from the kernel, HVM from the boot disk', () => {
    const g = rig.guests;
    assert.ok(g);
    assert.equal(g.kernel, DOM0_GUEST_PATHS.pvKernel);
    assert.equal(g.ramdisk, DOM0_GUEST_PATHS.initrd);
    assert.equal(g.hvm?.bootDisk, DOM0_GUEST_PATHS.hvmBootDisk);
    assert.equal(g.disk, undefined);
    assert.deepEqual(g.types, ['hvm', 'pv']);
  });

  it("logs into the guests with a key, the one the image set authorises (dom0.privateKey's public half)", async () => {
    const ssh = rig.guests?.ssh;
    assert.ok(ssh);
    assert.equal(ssh.password, undefined, 'the guest dropbear takes keys only');
    assert.deepEqual(ssh.privateKey, rig.dom0.privateKey);
    assert.equal(rig.boot.server?.image.authorizedKey, undefined);
    // What `pxe images` writes into the guest's authorized_keys is the .pub next to that key.
    const home = mkdtempSync(join(tmpdir(), 'apu2-rte-home-'));
    const saved = process.env.HOME;
    try {
      mkdirSync(join(home, '.ssh'));
      const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZ8m3U3bnB4m0N3cVxkq5Zk1mD9Qk0Qe0bq7r4yYx2T lab@test\n';
      const keyFile = (ssh.privateKey as { file: string }).file;
      writeFileSync(join(home, `${keyFile.replace(/^~\//, '')}.pub`), pub);
      process.env.HOME = home;
      assert.equal(await authorizedKeysFor(rig), pub);
    } finally {
      process.env.HOME = saved;
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('expects a real AMD-Vi to log the DMA it blocks', () => {
    assert.equal(rig.dma?.faultsExpected, true);
  });

  it('keeps the PSU off 10 s in a power cycle, as OSFV does', () => {
    assert.equal(rig.power.minOffMs, 10_000);
  });

  it('does not force a chip on flashrom; the board names the tie-breaker for its probe', () => {
    assert.equal(rig.flasher?.chip, undefined);
    assert.deepEqual(boardChips(rig), ['W25Q64JV-.Q']);
  });
});
