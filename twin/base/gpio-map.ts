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

/** The RTE's own numbering (relay 0, SPI lines/Vcc/voltage 1–3, APU reset 8, APU power 9). */
export const twinGpio: GpioMap = { relay: 0, reset: 8, power: 9, spiLines: 1, spiVcc: 2, spiVoltage: 3 };
