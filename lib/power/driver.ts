// The one driver every power backend runs under: each switch is an Allure step, a switch is
// verified by reading the state back (a relay that clicked but did not move is caught here,
// whatever the backend), and a power cycle waits the rig's minimum off time.
import { RigError } from '../core/errors.ts';
import { step } from '../core/step.ts';
import type { BackendSwitch } from './backend.ts';
import { cycleWith } from './cycle.ts';
import type { PowerState, PowerSwitch } from './types.ts';

export class PowerDriver implements PowerSwitch {
  readonly description: string;

  constructor(
    private readonly backend: BackendSwitch,
    private readonly minOffMs: number,
  ) {
    this.description = backend.description;
    const button = backend.powerButton;
    if (button)
      this.pressPowerButton = (holdMs) =>
        step('hold power button', { switch: this.description, holdMs }, () => button.call(backend, holdMs));
  }

  on(): Promise<void> {
    return step('power on', { switch: this.description }, () => this.switchTo('on'));
  }

  off(): Promise<void> {
    return step('power off', { switch: this.description }, () => this.switchTo('off'));
  }

  cycle(): Promise<void> {
    return cycleWith(this, this.minOffMs);
  }

  state(): Promise<PowerState> {
    return this.backend.get();
  }

  reset(): Promise<void> {
    const reset = this.backend.reset;
    if (!reset) return this.cycle();
    return step('press reset button', { switch: this.description }, () => reset.call(this.backend));
  }

  /** Absent when the backend has no power button (set in the constructor). */
  readonly pressPowerButton?: (holdMs: number) => Promise<void>;

  async close(): Promise<void> {
    await this.backend.close?.();
  }

  private async switchTo(want: 'on' | 'off'): Promise<void> {
    const said = await this.backend.set(want === 'on');
    const now = said || (await this.backend.get());
    if (now !== want && now !== 'unknown')
      throw new RigError(`${this.description}: switched ${want}, but it reports ${now}`, {
        code: 'POWER_NOT_APPLIED',
        phase: want,
      });
  }
}
