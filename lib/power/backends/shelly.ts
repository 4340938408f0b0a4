// A Shelly Gen2+ plug or relay over its local RPC API: `GET /rpc/Switch.Set?id=0&on=true` and
// `GET /rpc/Switch.GetStatus?id=0` → {"output": true}. (Authentication, when enabled on the
// device, is HTTP digest; a bench plug on the lab network usually runs without it.)
import { z } from 'zod';
import { int, ms } from '../../core/rig-fields.ts';
import { definePowerBackend } from '../backend.ts';
import { badReply, type HttpTarget, requestJson } from '../http-client.ts';

export const shellySchema = z.strictObject({
  kind: z.literal('shelly'),
  url: z.url(),
  switchId: int(0, 15).default(0),
  minOffMs: ms.default(3000),
  timeoutMs: ms.default(5000),
});

export default definePowerBackend(shellySchema, (cfg) => {
  const base = `${cfg.url.replace(/\/+$/, '')}/rpc`;
  const target: HttpTarget = { name: `Shelly switch ${cfg.switchId} at ${cfg.url}`, timeoutMs: cfg.timeoutMs };
  return {
    description: target.name,
    set: async (on) => {
      // Setting a switch to a level twice is harmless: the request may be retried.
      await requestJson(target, {
        url: `${base}/Switch.Set?id=${cfg.switchId}&on=${on}`,
        idempotent: true,
        phase: 'set',
      });
    },
    get: async () => {
      const req = { url: `${base}/Switch.GetStatus?id=${cfg.switchId}`, idempotent: true, phase: 'get' };
      const output = ((await requestJson(target, req)) as { output?: unknown } | null)?.output;
      if (typeof output !== 'boolean') throw badReply(target, req, `expected {"output": true|false}`);
      return output ? 'on' : 'off';
    },
  };
});
