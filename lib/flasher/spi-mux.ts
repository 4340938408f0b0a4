// The bench sequence around an external flash on an RTE: board off (and stay off the rig's
// minimum), SPI voltage selected (the rig states it; a wrong one can damage the chip), SPI Vcc
// on, SPI lines switched to the programmer, settle, flash — and, whatever happens, lines back,
// Vcc off, voltage parked, power state restored. A board left with its lines switched never
// boots, so every restore step is tried (and retried) even when an earlier one failed.
// GPIO levels as 3mdeb's RTE clients drive them: SPI_ON "low" = lines to the RTE, SPI_VCC "low"
// = powered, SPI_VOLTAGE "low" = 3.3 V, "high-z" = 1.8 V (osfv rte.py spi_enable).
import { errorMessage, RigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { step } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import { type GpioValue, OC_HIGH_Z, OC_LOW } from '../power/rte-gpio.ts';
import type { PowerState, PowerSwitch } from '../power/types.ts';
import type { FlasherConfig } from '../rig/schema.ts';

export type SpiMuxConfig = NonNullable<FlasherConfig['spiMux']>;

/** What the mux needs of a GPIO client (RteGpio provides it). */
export interface GpioPort {
  set(id: number, value: GpioValue): Promise<void>;
}

export interface BenchDeps {
  power: PowerSwitch;
  /** Absent when the bench has no SPI mux (a clip on a powered-off board). */
  gpio?: GpioPort;
  mux?: SpiMuxConfig;
  minOffMs: number;
}

const RESTORE_ATTEMPTS = 3;

export async function withFlashAccess<T>(deps: BenchDeps, body: () => Promise<T>): Promise<T> {
  const { power, gpio, mux } = deps;
  if (gpio && !mux)
    throw new RigError('SPI mux GPIO client given without its config', { code: 'SPI_MUX', part: 'flasher' });
  let before: PowerState = 'unknown';
  let switched = false;
  let failure: unknown;
  try {
    before = await power.state().catch(() => 'unknown' as const);
    await step('flash: board off', { minOffMs: deps.minOffMs }, async () => {
      await power.off();
      await sleep(deps.minOffMs);
    });
    if (gpio && mux) {
      switched = true; // from the first GPIO on, the finally must put everything back
      await step('SPI mux: to programmer', { ...mux }, async () => {
        await gpio.set(mux.voltageGpio, mux.voltage === '3.3V' ? OC_LOW : OC_HIGH_Z);
        await gpio.set(mux.vccGpio, OC_LOW);
        await gpio.set(mux.linesGpio, OC_LOW);
        await sleep(mux.settleMs);
      });
    }
    return await body();
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    const problems: string[] = [];
    if (switched && gpio && mux) {
      await step('SPI mux: back to the board', { ...mux }, async () => {
        // Order matters: lines away from the programmer before its supply goes.
        for (const [what, id] of [
          ['SPI lines back', mux.linesGpio],
          ['SPI Vcc off', mux.vccGpio],
          ['SPI voltage parked', mux.voltageGpio],
        ] as const) {
          const err = await retry(() => gpio.set(id, OC_HIGH_Z));
          if (err) problems.push(`${what} (GPIO ${id}): ${errorMessage(err)}`);
        }
      });
    }
    if (before === 'on') {
      const err = await retry(() => step('flash: power restored', { state: 'on' }, () => power.on()));
      if (err) problems.push(`power back on: ${errorMessage(err)}`);
    }
    if (problems.length) {
      const stuck = problems.some((p) => p.startsWith('SPI lines'));
      const msg = `${stuck ? 'SPI lines may still be switched to the programmer (the board will not boot): ' : 'bench not restored after flashing: '}${problems.join('; ')}`;
      progress.emit('warn', msg);
      // Thrown from finally on purpose: this outranks whatever the flash itself reported.
      // biome-ignore lint/correctness/noUnsafeFinally: the bench state is the more urgent error
      throw new RigError(msg, {
        code: stuck ? 'SPI_MUX_STUCK' : 'BENCH_NOT_RESTORED',
        part: 'flasher',
        cause: failure,
      });
    }
  }
}

async function retry(fn: () => Promise<unknown>): Promise<unknown> {
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
