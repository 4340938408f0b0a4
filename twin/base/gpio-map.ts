// Which RTE GPIO does what on the twin bench: the twin's own wiring, as the RTE on a real bench
// is wired. rigs/apu2-twin.ts reads these numbers (the rig describes the bench, the bench does
// not read its rig), so the two can never disagree.

export interface GpioMap {
  relay: number;
  reset: number;
  power: number;
  spiLines: number;
  spiVcc: number;
  spiVoltage: number;
}

/**
 * The RTE's own numbering: relay 0, SPI lines 1, SPI voltage 2 (1 = 3.3 V), SPI Vcc 3, APU reset
 * 8, APU power 9 (3mdeb/meta-rte RteCtrl.cfg: 1→gpio516, 2→gpio517, 3→gpio518; Dasharo/osfv-scripts
 * rte.py GPIO_SPI_ON=1, GPIO_SPI_VOLTAGE=2, GPIO_SPI_VCC=3). Until 2026-12-07 the twin had Vcc and
 * voltage swapped, and the twin's own rig agreed with it: test/twin-unit/rig-overlay.test.ts now
 * holds the twin to the real rig's numbers.
 */
export const twinGpio: GpioMap = { relay: 0, reset: 8, power: 9, spiLines: 1, spiVoltage: 2, spiVcc: 3 };
