// The twin rig describes the twin bench: its GPIOs are the twin's wiring, and the bench lock a
// session on it takes is the one tools that drive the twin directly wait for.
import assert from 'node:assert/strict';
import { openLock } from '../../lib/lock/open.ts';
import { loadRig } from '../../lib/rig/load.ts';
import { twinGpio } from '../../twin/base/gpio-map.ts';
import { twinBenchLock } from '../../twin/bench-lock.ts';

describe('rigs/apu2-twin against the twin', () => {
  it('wires the relay, reset and SPI mux to the twin RTE GPIOs', async () => {
    const rig = await loadRig('apu2-twin');
    assert.equal(rig.power.kind, 'rte');
    if (rig.power.kind !== 'rte') return;
    assert.equal(rig.power.relayGpio, twinGpio.relay);
    assert.equal(rig.power.resetButtonGpio, twinGpio.reset);
    const mux = rig.flasher?.spiMux;
    assert.ok(mux, 'the twin flashes through its SPI mux');
    assert.deepEqual(
      [mux.linesGpio, mux.vccGpio, mux.voltageGpio],
      [twinGpio.spiLines, twinGpio.spiVcc, twinGpio.spiVoltage],
    );
  });

  it('takes the same lock file as twin/bench-lock', async () => {
    const rig = await loadRig('apu2-twin');
    const session = openLock(rig) as { path?: string };
    assert.ok(session.path, 'a local lock file');
    assert.equal(twinBenchLock().path, session.path);
  });
});
