// A client for the 3mdeb RTE's GPIO REST API (RteCtrl, port 8000). Shared by the relay power
// switch, the flasher's SPI mux, and spoken by the twin's power server.
//
// Wire format, as 3mdeb's own clients (osfv `rtectrl_api`) use it:
//   GET   /api/v1/gpio/{id}  → {"id": 0, "name": "...", "direction": "out", "state": 1, ...}
//   PATCH /api/v1/gpio/{id}  ← {"state": 1, "direction": "out", "time": 0}   (HTTP 200 on success)
// `state` is a number: 1 = active (relay GPIO 0 closed; open-collector GPIOs 1..12 pulled "low"),
// 0 = inactive (relay open; open-collector "high-z"). Clients read it modulo 2.
// `time` is in whole seconds: RteCtrl holds the state that long, then flips it back (a button
// press); 0 leaves it set.

import { RigError } from '../core/errors.ts';
import { sleep } from '../core/time.ts';
import {
  badReply,
  HTTP_CODES,
  type HttpPart,
  type HttpRequest,
  type HttpTarget,
  requestJson,
  requestText,
} from './http-client.ts';

export type GpioValue = 0 | 1;

/** Relay GPIO (0): board power applied. */
export const RELAY_ON: GpioValue = 1;
export const RELAY_OFF: GpioValue = 0;
/** Open-collector GPIOs (1..12): the SPI mux lines, power and reset buttons. */
export const OC_LOW: GpioValue = 1;
export const OC_HIGH_Z: GpioValue = 0;

export interface RteGpioOptions {
  timeoutMs?: number;
  /** Which part errors are reported under: 'power' for the relay, 'flasher' for the SPI mux. */
  part?: HttpPart;
  /** Prefix for error messages, e.g. "RTE relay". */
  name?: string;
}

export class RteGpio {
  private readonly base: string;
  private readonly target: HttpTarget;

  constructor(url: string, opts: RteGpioOptions = {}) {
    this.base = `${url.replace(/\/+$/, '')}/api/v1/gpio`;
    this.target = { name: opts.name ?? `RTE at ${url}`, timeoutMs: opts.timeoutMs ?? 5000, part: opts.part };
  }

  async get(id: number): Promise<GpioValue> {
    const req: HttpRequest = { url: `${this.base}/${id}`, idempotent: true, phase: `gpio ${id}` };
    const reply = await requestJson(this.target, req);
    const state = (reply as { state?: unknown } | null)?.state;
    if (typeof state !== 'number' || !Number.isInteger(state))
      throw badReply(this.target, req, `expected {"state": <integer>}, got ${JSON.stringify(reply)?.slice(0, 200)}`);
    return (state % 2) as GpioValue;
  }

  /** Sets a level that stays; safe to retry. */
  async set(id: number, value: GpioValue): Promise<void> {
    await this.patch(id, value, 0, true);
  }

  /**
   * Holds `value` for `holdMs` (rounded up to whole seconds, RteCtrl's unit), then RteCtrl flips
   * it back. Never retried: a repeated press of the power button undoes the first one.
   * Resolves once the pulse is over.
   */
  async pulse(id: number, value: GpioValue, holdMs: number): Promise<void> {
    const seconds = Math.max(1, Math.ceil(holdMs / 1000));
    await this.patch(id, value, seconds, false);
    await sleep(seconds * 1000);
  }

  /** Sets and reads back, so a relay that did not switch is an error now, not a mystery later. */
  async setAndVerify(id: number, value: GpioValue): Promise<void> {
    await this.set(id, value);
    const now = await this.get(id);
    if (now !== value)
      throw new RigError(`${this.target.name}: GPIO ${id} reads ${now} after being set to ${value}`, {
        code: HTTP_CODES[this.target.part ?? 'power'].NOT_APPLIED,
        part: this.target.part ?? 'power',
        phase: `gpio ${id}`,
      });
  }

  private async patch(id: number, state: GpioValue, time: number, idempotent: boolean): Promise<void> {
    const json = { state, direction: 'out', time };
    await requestText(this.target, {
      method: 'PATCH',
      url: `${this.base}/${id}`,
      json,
      idempotent,
      phase: `gpio ${id}`,
    });
  }
}
