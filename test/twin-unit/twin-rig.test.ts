// The twin rig describes the twin bench: its GPIOs are the twin's wiring, and the bench lock a
// session on it takes is the one tools that drive the twin directly wait for.
import assert from 'node:assert/strict';
import { openLock } from '../../lib/lock/open.ts';
import { loadRig } from '../../lib/rig/load.ts';
import { twinGpio } from '../../twin/base/gpio-map.ts';
import { twinPaths, twinPorts } from '../../twin/base/paths.ts';
import { twinBenchLock } from '../../twin/tools/bench-lock.ts';

describe('rigs/apu2-twin against the twin', () => {
  it('wires the relay, buttons, WP and CMOS pins to the twin RTE GPIOs and flashes in S5 without a mux', async () => {
    const rig = await loadRig('apu2-twin');
    assert.equal(rig.power.kind, 'rte');
    if (rig.power.kind !== 'rte') return;
    assert.equal(rig.power.relayGpio, twinGpio.relay);
    assert.equal(rig.power.resetButtonGpio, twinGpio.reset);
    assert.equal(rig.power.powerButtonGpio, twinGpio.power);
    const f = rig.flasher;
    assert.ok(f);
    assert.equal(f.powerState, 'S5');
    assert.equal(f.writeProtect?.gpio, twinGpio.wp);
    assert.equal(f.cmosReset?.gpio, twinGpio.cmos);
    assert.equal(f.spiMux, undefined, 'RTE v1.0 wiring, as rigs/apu2-rte.ts');
    assert.equal(twinGpio.spiMux, undefined, 'the twin bench has no mux either');
    assert.ok(f.s5.holdMs > 4000, 'the hold outlasts the 4 s override the twin board enforces');
  });

  it("boots like a real apu2: 'n', the iPXE menu it shows into the shell, dhcp net0, and iommu-lab's server at the slirp gateway", async () => {
    const rig = await loadRig('apu2-twin');
    assert.deepEqual(
      { ...rig.boot.network, charDelayMs: undefined },
      {
        method: 'ipxe-shell',
        // The real rig's: whichever way in the console shows (PC Engines' menu on the twin's default
        // firmware, Dasharo's menu on a Dasharo build); the twin never shows Ctrl-B (test/twin/daemon.test.ts).
        entry: 'auto',
        key: 'n',
        prompt: 'N for PXE boot',
        interface: 'net0',
        charDelayMs: undefined,
      },
    );
    const server = rig.boot.server;
    assert.ok(server, 'the twin serves its boot');
    assert.deepEqual(server.listen, { host: '127.0.0.1', port: twinPorts.boot });
    assert.equal(server.advertise.host, '10.0.2.2');
    assert.equal(server.root, twinPaths.images);
    assert.ok(
      Object.values(server.files)
        .flat()
        .every((f) => String(f).startsWith(`${twinPaths.currentImages}/`)),
    );
  });

  it('takes the same lock file as twin/tools/bench-lock', async () => {
    const rig = await loadRig('apu2-twin');
    const session = openLock(rig) as { path?: string };
    assert.ok(session.path, 'a local lock file');
    assert.equal(twinBenchLock().path, session.path);
  });
});
