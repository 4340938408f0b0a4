// dma-probe's JSON line, parsed into a typed report. The probe reports what the device did;
// lib/dma/verdict.ts decides what that means.
import { z } from 'zod';

const addr = z.string().regex(/^0x[0-9a-f]+$/);
const hex = z.string().regex(/^(?:[0-9a-f]{2})*$/);

const device = z.object({
  path: z.string(),
  bdf: z.string(),
  vendor: z.string(),
  device: z.string(),
  name: z.string().nullable(),
  family: z.enum(['e1000e', 'igb']).nullable(),
  driver: z.string().nullable(),
  unbound: z.boolean(),
});

const ran = z.object({
  probe: z.literal('dma-probe'),
  ok: z.literal(true),
  mode: z.enum(['positive', 'target']),
  direction: z.enum(['read', 'write']),
  device,
  loopback: z.enum(['mac', 'phy']),
  addressing: z.enum(['pfn', 'p2m', 'm2p']),
  memory: z.object({ txRing: addr, rxRing: addr, txBuffer: addr, rxBuffer: addr, stayed: z.boolean() }),
  target: addr.nullable(),
  pattern: hex.length(32),
  tx: z.object({ done: z.boolean(), status: z.number().int(), us: z.number() }),
  rx: z.object({
    done: z.boolean(),
    status: z.number().int(),
    length: z.number().int(),
    errors: z.number().int(),
    us: z.number(),
    bytes: hex.nullable(),
  }),
  registers: z.record(z.string(), z.union([z.string(), z.number()])),
});

const failed = z.object({
  probe: z.literal('dma-probe'),
  ok: z.literal(false),
  stage: z.string(),
  error: z.string(),
  device: device.nullable(),
});

export type ProbeRun = z.infer<typeof ran>;
export type ProbeFailure = z.infer<typeof failed>;
export type ProbeReport = ProbeRun | ProbeFailure;

/** The last dma-probe line of a command's stdout; a failure report when there is none. */
export function parseProbeOutput(stdout: string): ProbeReport {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{"probe":"dma-probe"'));
  const last = lines.at(-1);
  if (!last)
    return { probe: 'dma-probe', ok: false, stage: 'output', error: 'the probe printed no report', device: null };
  let json: unknown;
  try {
    json = JSON.parse(last);
  } catch {
    return {
      probe: 'dma-probe',
      ok: false,
      stage: 'output',
      error: 'the probe printed a report that is not JSON',
      device: null,
    };
  }
  const r = z.union([ran, failed]).safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  return {
    probe: 'dma-probe',
    ok: false,
    stage: 'output',
    error: `the probe's report does not have the expected shape (${issue?.path.join('.') || 'root'}: ${issue?.message})`,
    device: null,
  };
}
