// The RTE v1.1 SPI mux: switch the board's flash chip to the RTE's programmer and back. Order and
// waits as 3mdeb's own clients do it:
//   on:  voltage, 2 s, Vcc, 2 s, lines, 10 s   (Dasharo/osfv-scripts osfv_cli/src/osfv/libs/rte.py
//        `spi_enable`; the waits are the rig's, OSFV's values are the defaults)
//   off: Vcc, lines, voltage                   (rte.py `spi_disable` cuts Vcc before the lines;
//        3mdeb/meta-rte recipes-go/3mdeb-rtectrl/3mdeb-rtectrl/flash.sh `spiOFF` then parks the voltage)
// GPIO levels as RteCtrl takes them: SPI_ON "low" = lines to the RTE, SPI_VCC "low" = powered,
// SPI_VOLTAGE "low" = 3.3 V, "high-z" = 1.8 V (rte.py `spi_enable`).
import { errorMessage } from '../../lib/core/errors.ts';
import { step } from '../../lib/core/step.ts';
import { sleep } from '../../lib/core/time.ts';
import { type GpioValue, OC_HIGH_Z, OC_LOW } from '../../lib/power/rte-gpio.ts';
import type { FlasherConfig } from '../../lib/rig/schema.ts';

export type SpiMuxConfig = NonNullable<FlasherConfig['spiMux']>;

/** What the flasher needs of a GPIO client (RteGpio provides it). */
export interface GpioPort {
  set(id: number, value: GpioValue): Promise<void>;
}

const RESTORE_ATTEMPTS = 3;

export async function muxToProgrammer(gpio: GpioPort, mux: SpiMuxConfig): Promise<void> {
  await step('SPI mux: to programmer', { ...mux }, async () => {
    await gpio.set(mux.voltageGpio, mux.voltage === '3.3V' ? OC_LOW : OC_HIGH_Z);
    await sleep(mux.voltageSettleMs);
    await gpio.set(mux.vccGpio, OC_LOW);
    await sleep(mux.vccSettleMs);
    await gpio.set(mux.linesGpio, OC_LOW);
    await sleep(mux.settleMs);
  });
}

/**
 * Every step is tried (and retried) even when an earlier one failed: a board left with its lines
 * switched never boots. Returns what could not be restored, one line each ("SPI lines back …").
 */
export async function muxToBoard(gpio: GpioPort, mux: SpiMuxConfig): Promise<string[]> {
  const problems: string[] = [];
  await step('SPI mux: back to the board', { ...mux }, async () => {
    for (const [what, id] of [
      ['SPI Vcc off', mux.vccGpio],
      ['SPI lines back', mux.linesGpio],
      ['SPI voltage parked', mux.voltageGpio],
    ] as const) {
      const err = await retry(() => gpio.set(id, OC_HIGH_Z));
      if (err) problems.push(`${what} (GPIO ${id}): ${errorMessage(err)}`);
    }
  });
  return problems;
}

/** Runs fn up to three times; undefined on success, else the last error. */
export async function retry(fn: () => Promise<unknown>): Promise<unknown> {
  let last: unknown;
  for (let i = 0; i < RESTORE_ATTEMPTS; i++) {
    try {
      await fn();
      return undefined;
    } catch (e) {
      last = e;
      await sleep(200 * (i + 1));
    }
  }
  return last;
}
