// 3mdeb RTE: the board's supply runs through the RTE relay (a GPIO over its REST API); the reset
// and power buttons, where wired, are open-collector GPIOs that are pulsed (3mdeb RteCtrl.cfg:
// 8 apu_rst, 9 apu_pwr; the power button is how the flasher puts the board into S5).
import { z } from 'zod';
import { int, ms } from '../../core/rig-fields.ts';
import { definePowerBackend } from '../backend.ts';
import { OC_LOW, RELAY_OFF, RELAY_ON, RteGpio } from '../rte-gpio.ts';

/** How long a button press lasts; RteCtrl counts in whole seconds. */
const PRESS_MS = 1000;

export const rteSchema = z.strictObject({
  kind: z.literal('rte'),
  url: z.url(),
  relayGpio: int(0),
  /** RTE wires the board's power and reset buttons to GPIOs too (optional). */
  powerButtonGpio: int(0).optional(),
  resetButtonGpio: int(0).optional(),
  minOffMs: ms.default(3000),
  timeoutMs: ms.default(5000),
});

export default definePowerBackend(rteSchema, (cfg) => {
  const description = `RTE relay GPIO ${cfg.relayGpio} at ${cfg.url}`;
  const gpio = new RteGpio(cfg.url, { timeoutMs: cfg.timeoutMs, part: 'power', name: description });
  const reset = cfg.resetButtonGpio;
  const button = cfg.powerButtonGpio;
  return {
    description,
    set: (on) => gpio.set(cfg.relayGpio, on ? RELAY_ON : RELAY_OFF),
    get: async () => ((await gpio.get(cfg.relayGpio)) === RELAY_ON ? 'on' : 'off'),
    reset: reset === undefined ? undefined : () => gpio.pulse(reset, OC_LOW, PRESS_MS),
    // RteCtrl holds the level `time` seconds and flips it back: one request per press, never
    // retried (a second press would undo the first).
    powerButton: button === undefined ? undefined : (holdMs) => gpio.pulse(button, OC_LOW, holdMs),
  };
});
