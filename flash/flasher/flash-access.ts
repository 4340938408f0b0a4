// The bench sequence around an external flash: put the board into the rig's power state, free
// the write-protect pin, switch the SPI mux (RTE v1.1 only), flash — and, whatever happens, mux
// back, CMOS cleared after a write, power state restored.
//
// S5, as PC Engines and 3mdeb flash an apu2 ("before flashing we have to make sure that APUx is
// on and in S5 state", pcengines/apu2-documentation docs/apu_flashing_with_rpi.md; Dasharo/
// osfv-scripts osfv_cli/src/osfv/models/APU2.yml `flashing_power_state: "S5"`): the chip then runs
// on the board's standby rail, which 3mdeb's RTE wiring relies on (3mdeb/testing-trenchboot
// docs/apu2-rte_connection.md leaves RTE J7 VCC unconnected). osfv rte.py `pwr_ctrl_before_flash`:
// relay on (an apu2 starts by itself when power comes), wait, power button held 6 s (the
// chipset's 4 s override forces S5), wait, then `spi_enable` for rte_1_1 only.
// G3 (relay open) only where the programmer powers the chip itself (a clip with Vcc wired).
import { errorMessage, RigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { step } from '../../lib/core/step.ts';
import { sleep } from '../../lib/core/time.ts';
import { OC_HIGH_Z, OC_LOW, RteGpio } from '../../lib/power/rte-gpio.ts';
import type { PowerState, PowerSwitch } from '../../lib/power/types.ts';
import type { FlasherConfig } from '../../lib/rig/schema.ts';
import { type GpioPort, muxToBoard, muxToProgrammer, retry } from './spi-mux.ts';

/** How long a power-button press lasts when the board goes back on after the flash (osfv `power_on`). */
export const POWER_ON_PRESS_MS = 1000;

export interface FlashAccessDeps {
  power: PowerSwitch;
  flasher: Pick<FlasherConfig, 'powerState' | 's5' | 'writeProtect' | 'cmosReset' | 'spiMux'>;
  /** Waited after the relay opens for a G3 flash. */
  minOffMs: number;
  /** The GPIO client for every flasher pin; by default an RteGpio on each pin's own URL. */
  gpio?: GpioPort;
}

export interface FlashAccessOptions {
  /** The body writes the chip: clear CMOS afterwards where the rig says so (a read leaves it). */
  write?: boolean;
}

export async function withFlashAccess<T>(
  deps: FlashAccessDeps,
  body: () => Promise<T>,
  opts: FlashAccessOptions = {},
): Promise<T> {
  const { power, flasher: f } = deps;
  const gpioAt = (url: string): GpioPort => deps.gpio ?? new RteGpio(url, { part: 'flasher', name: `RTE at ${url}` });
  let before: PowerState = 'unknown';
  let switched = false;
  let touched = false;
  let failure: unknown;
  try {
    before = await power.state().catch(() => 'unknown' as const);
    if (f.powerState === 'S5') await enterS5(power, f.s5);
    else
      await step('flash: board off (G3)', { minOffMs: deps.minOffMs }, async () => {
        await power.off();
        await sleep(deps.minOffMs);
      });
    const wp = f.writeProtect;
    // Never asserted again afterwards: RteCtrl starts every OC pin high-z (meta-rte RteCtrl.cfg
    // init_value 0), and 3mdeb's "Flash apu" leaves it free too.
    if (wp)
      await step('flash: write-protect pin released', { gpio: wp.gpio }, () => gpioAt(wp.url).set(wp.gpio, OC_HIGH_Z));
    if (f.spiMux) {
      switched = true; // from the first GPIO on, the finally must put everything back
      await muxToProgrammer(gpioAt(f.spiMux.url), f.spiMux);
    }
    touched = true;
    return await body();
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    const problems: string[] = [];
    if (switched && f.spiMux) problems.push(...(await muxToBoard(gpioAt(f.spiMux.url), f.spiMux)));
    // osfv rte.py `flash_write` clears CMOS whatever flashrom returned: the chip may have changed.
    const cmos = f.cmosReset;
    if (touched && opts.write && cmos) {
      const err = await clearCmos(gpioAt(cmos.url), cmos);
      if (err) problems.push(`CMOS clear (GPIO ${cmos.gpio}): ${errorMessage(err)}`);
    }
    const err = await restorePower(power, f.powerState, before);
    if (err) problems.push(`power back ${before}: ${errorMessage(err)}`);
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

async function enterS5(power: PowerSwitch, s5: FlashAccessDeps['flasher']['s5']): Promise<void> {
  const press = power.pressPowerButton;
  if (!press)
    throw new RigError(`${power.description}: no power button to put the board into S5 for the flash`, {
      code: 'FLASH_NO_POWER_BUTTON',
    });
  await step('flash: board to S5 (powered, soft-off)', { ...s5 }, async () => {
    await power.on();
    await sleep(s5.powerOnWaitMs);
    await press(s5.holdMs);
    await sleep(s5.afterHoldMs);
  });
}

/** osfv rte.py `reset_cmos`: the pin low for holdMs, then high-z (released, retried). */
async function clearCmos(gpio: GpioPort, c: NonNullable<FlashAccessDeps['flasher']['cmosReset']>): Promise<unknown> {
  let release: unknown;
  await step('flash: clear CMOS', { gpio: c.gpio, holdMs: c.holdMs }, async () => {
    await sleep(c.delayMs);
    try {
      await gpio.set(c.gpio, OC_LOW);
      await sleep(c.holdMs);
    } finally {
      release = await retry(() => gpio.set(c.gpio, OC_HIGH_Z));
    }
  }).catch((e: unknown) => {
    release ??= e;
  });
  return release;
}

/**
 * Back to the power state found: G3 flash — relay on again if it was on; S5 flash — relay off if
 * it was off (G3 as found), a short power-button press if the board was on (it runs again, as
 * osfv `power_on` starts it from S5); unknown stays in S5. The boot that follows a flash starts
 * from a relay cycle anyway (lib/boot/strategy.ts).
 */
async function restorePower(power: PowerSwitch, state: 'S5' | 'G3', before: PowerState): Promise<unknown> {
  if (state === 'G3')
    return before === 'on' ? retry(() => step('flash: power restored', { state: 'on' }, () => power.on())) : undefined;
  if (before === 'off') return retry(() => step('flash: power restored', { state: 'off' }, () => power.off()));
  if (before === 'on' && power.pressPowerButton) {
    const press = power.pressPowerButton;
    // One press, never retried: a second press would turn the board off again.
    return step('flash: board on again', {}, () => press(POWER_ON_PRESS_MS)).then(
      () => undefined,
      (e: unknown) => e,
    );
  }
  return undefined;
}
