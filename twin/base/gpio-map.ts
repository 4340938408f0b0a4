// Which RTE GPIO does what on the twin bench: the twin's own wiring, as the RTE on a real bench
// is wired. rigs/apu2-twin.ts reads these numbers (the rig describes the bench, the bench does
// not read its rig), so the two can never disagree.

/** RTE v1.1's SPI mux GPIOs (osfv rte.py: GPIO_SPI_ON 1, GPIO_SPI_VOLTAGE 2, GPIO_SPI_VCC 3). */
export interface SpiMuxGpios {
  lines: number;
  voltage: number;
  vcc: number;
}

export interface GpioMap {
  relay: number;
  reset: number;
  power: number;
  cmos: number;
  wp: number;
  /** Absent on an RTE v1.0 bench: the chip is wired straight to the RTE's SPI header. */
  spiMux?: SpiMuxGpios;
}

/**
 * The RTE's own numbering (3mdeb/meta-rte RteCtrl.cfg; Dasharo/osfv-scripts rte.py): relay 0,
 * APU reset 8, APU power button 9, CMOS clear 11, write protect 12. Wired as OSFV's apu2 model
 * (`programmer: rte_1_0`, as rigs/apu2-rte.ts): no SPI mux, so `--rig apu2-rte --twin` and
 * apu2-twin flash the same way.
 */
export const twinGpio: GpioMap = { relay: 0, reset: 8, power: 9, cmos: 11, wp: 12 };

/** An RTE v1.1 SPI mux (rte.py numbering), for twin benches built with one (tests). */
export const rteV11Mux: SpiMuxGpios = { lines: 1, voltage: 2, vcc: 3 };
