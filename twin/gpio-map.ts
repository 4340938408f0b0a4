// Which RTE GPIO does what on the twin bench. The numbers come from rigs/apu2-twin.ts (the
// one place they are written down), so the rig and the twin can never disagree.
import twinRig from '../rigs/apu2-twin.ts';

export interface GpioMap {
  relay: number;
  reset: number;
  power: number;
  spiLines: number;
  spiVcc: number;
  spiVoltage: number;
}

function fromRig(): GpioMap {
  const power = twinRig.power;
  const mux = twinRig.flasher?.spiMux;
  if (power.kind !== 'rte' || !mux) throw new Error('rigs/apu2-twin.ts must use RTE power and an SPI mux');
  return {
    relay: power.relayGpio,
    reset: power.resetButtonGpio ?? 8,
    power: power.powerButtonGpio ?? 9,
    spiLines: mux.linesGpio,
    spiVcc: mux.vccGpio,
    spiVoltage: mux.voltageGpio,
  };
}

export const twinGpio: GpioMap = fromRig();
