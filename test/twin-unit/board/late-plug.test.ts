import assert from 'node:assert/strict';
import { secondaryBuses } from '../../../twin/board/late-plug.ts';

// Shape of QEMU 7.2's query-pci answer (trimmed), before and after SeaBIOS numbered the buses.
const answer = (sec: number[]) => [
  {
    bus: 0,
    devices: [
      { bus: 0, slot: 0, function: 0, qdev_id: '' },
      ...sec.map((s, i) => ({
        bus: 0,
        slot: 28,
        function: i,
        qdev_id: `rp${i + 1}`,
        pci_bridge: { bus: { number: 0, secondary: s, subordinate: s }, devices: [] },
      })),
    ],
  },
];

describe('twin late plug: reading the bus numbers the firmware wrote', () => {
  it('maps each root port to its secondary bus number', () => {
    assert.deepEqual(
      [...secondaryBuses(answer([0, 0, 0]))],
      [
        ['rp1', 0],
        ['rp2', 0],
        ['rp3', 0],
      ],
    );
    assert.deepEqual(secondaryBuses(answer([1, 2, 3])).get('rp2'), 2);
  });

  it('walks bridges behind bridges', () => {
    const nested = answer([1]);
    (nested[0].devices[1] as { pci_bridge: { devices: unknown[] } }).pci_bridge.devices.push({
      qdev_id: 'sw1',
      pci_bridge: { bus: { secondary: 5 } },
    });
    assert.equal(secondaryBuses(nested).get('sw1'), 5);
  });
});
