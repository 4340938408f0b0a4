// What every PC Engines apu2 has, so rig files state only what differs between benches.

/** The three Intel NICs of an apu2, at the PCI addresses the board gives them. */
export const APU2_NICS = [
  { name: 'enp1s0', pci: '01:00.0' },
  { name: 'enp2s0', pci: '02:00.0' },
  { name: 'enp3s0', pci: '03:00.0' },
];

export const APU2_MODEL = 'PC Engines apu2';
export const APU2_FLASH_BYTES = 8 * 1024 * 1024;
