// A Sonoff/Tasmota plug: `GET /cm?cmnd=Power%20On` → {"POWER":"ON"}. Tasmota's web password
// travels as a query parameter; it comes from the rig's secret and is registered for redaction
// (with its encoded forms) before the first request.
import { z } from 'zod';
import { ms, secretRef } from '../../core/rig-fields.ts';
import { readSecret } from '../../core/secrets.ts';
import { definePowerBackend } from '../backend.ts';
import { badReply, type HttpRequest, type HttpTarget, requestJson } from '../http-client.ts';
import type { PowerState } from '../types.ts';

export const tasmotaSchema = z.strictObject({
  kind: z.literal('tasmota'),
  url: z.url(),
  user: z.string().optional(),
  password: secretRef.optional(),
  minOffMs: ms.default(3000),
  timeoutMs: ms.default(5000),
});

export default definePowerBackend(tasmotaSchema, async (cfg) => {
  const password = cfg.password ? await readSecret(cfg.password, 'power.password') : undefined;
  const description = `Tasmota plug at ${cfg.url}`;
  const target: HttpTarget = { name: description, timeoutMs: cfg.timeoutMs, part: 'power' };
  const request = (cmnd: string): HttpRequest => {
    const q = [`cmnd=${encodeURIComponent(cmnd)}`];
    if (cfg.user !== undefined) q.unshift(`user=${encodeURIComponent(cfg.user)}`);
    if (password !== undefined) q.splice(1, 0, `password=${encodeURIComponent(password)}`);
    // Power On/Off/state are idempotent: a repeated "Power On" leaves the plug on.
    return { url: `${cfg.url.replace(/\/+$/, '')}/cm?${q.join('&')}`, idempotent: true, phase: cmnd };
  };
  const command = async (cmnd: string): Promise<PowerState> => {
    const req = request(cmnd);
    const reply = (await requestJson(target, req)) as Record<string, unknown> | null;
    // Tasmota answers a wrong or missing password with HTTP 200 and a WARNING.
    if (reply && typeof reply.WARNING === 'string')
      throw badReply(target, req, `the plug refused the request: ${reply.WARNING}`);
    const power = reply?.POWER ?? reply?.POWER1;
    if (power === 'ON') return 'on';
    if (power === 'OFF') return 'off';
    throw badReply(target, req, `expected {"POWER":"ON"|"OFF"}, got ${JSON.stringify(reply)?.slice(0, 200)}`);
  };
  return {
    description,
    // The plug answers a switch with its new state: that answer is the verification.
    set: (on) => command(on ? 'Power On' : 'Power Off'),
    get: () => command('Power'),
  };
});
