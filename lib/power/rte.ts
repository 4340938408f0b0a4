// Power through a 3mdeb RTE: the board's supply runs through the RTE relay (a GPIO), and the
// board's power and reset buttons are wired to open-collector GPIOs that are pulsed.

import { UsageError } from '../core/errors.ts';
import { step } from '../core/step.ts';
import type { PowerConfig } from '../rig/schema.ts';
import { cycleWith } from './cycle.ts';
import { OC_LOW, RELAY_OFF, RELAY_ON, RteGpio } from './rte-gpio.ts';
import type { PowerState, PowerSwitch } from './types.ts';

type RteConfig = Extract<PowerConfig, { kind: 'rte' }>;

/** How long a button press lasts; RteCtrl counts in whole seconds. */
const PRESS_MS = 1000;

export class RtePower implements PowerSwitch {
  readonly description: string;
  private readonly gpio: RteGpio;

  constructor(private readonly cfg: RteConfig) {
    this.description = `RTE relay GPIO ${cfg.relayGpio} at ${cfg.url}`;
    this.gpio = new RteGpio(cfg.url, { timeoutMs: cfg.timeoutMs, part: 'power', name: this.description });
  }

  on(): Promise<void> {
    return step('power on', { switch: this.description }, () => this.gpio.setAndVerify(this.cfg.relayGpio, RELAY_ON));
  }

  off(): Promise<void> {
    return step('power off', { switch: this.description }, () => this.gpio.setAndVerify(this.cfg.relayGpio, RELAY_OFF));
  }

  cycle(): Promise<void> {
    return cycleWith(this, this.cfg.minOffMs);
  }

  async state(): Promise<PowerState> {
    return (await this.gpio.get(this.cfg.relayGpio)) === RELAY_ON ? 'on' : 'off';
  }

  /** Presses the reset button when the rig wires one; otherwise a full power cycle. */
  reset(): Promise<void> {
    const gpio = this.cfg.resetButtonGpio;
    if (gpio === undefined) return this.cycle();
    return step('press reset button', { switch: this.description, gpio, holdMs: PRESS_MS }, () =>
      this.gpio.pulse(gpio, OC_LOW, PRESS_MS),
    );
  }

  /** A short press starts a board in S5; a long one (> 4 s) forces it off. */
  pressPowerButton(holdMs = PRESS_MS): Promise<void> {
    const gpio = this.cfg.powerButtonGpio;
    if (gpio === undefined)
      throw new UsageError(`${this.description}: the rig wires no power button (power.powerButtonGpio)`);
    return step('press power button', { switch: this.description, gpio, holdMs }, () =>
      this.gpio.pulse(gpio, OC_LOW, holdMs),
    );
  }
}
