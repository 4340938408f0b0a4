// dom0-canary's two JSON lines: where the page is (printed at once), and whether it changed
// (printed when its stdin closes).
import { z } from 'zod';

const addr = z.string().regex(/^0x[0-9a-f]+$/);

const ready = z.object({
  probe: z.literal('dom0-canary'),
  ok: z.literal(true),
  pfn: addr,
  mfn: addr,
  machineAddress: addr,
  pattern: z.string().regex(/^[0-9a-f]{32}$/),
  pageSize: z.number().int(),
  method: z.string(),
});

const released = z.object({
  probe: z.literal('dom0-canary'),
  event: z.literal('released'),
  intact: z.boolean(),
  firstChange: z.number().int().nullable(),
  stayed: z.boolean(),
  bytes: z.string(),
});

const failed = z.object({ probe: z.literal('dom0-canary'), ok: z.literal(false), error: z.string() });

export type CanaryReady = z.infer<typeof ready>;
export type CanaryReleased = z.infer<typeof released>;

/** What an observer outside the board saw of the canary's page (the twin: QEMU), while it was held. */
export interface OutsideAccount {
  observer: string;
  /** null when the page could not be read (then error says why). */
  firstChange: number | null;
  intact: boolean | null;
  error?: string;
}

export interface CanaryOutput {
  ready: CanaryReady | null;
  released: CanaryReleased | null;
  /** Why there is no usable canary, when ready is null. */
  error: string | null;
}

export function parseCanaryOutput(stdout: string): CanaryOutput {
  const out: CanaryOutput = { ready: null, released: null, error: null };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{"probe":"dom0-canary"')) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const r = ready.safeParse(json);
    if (r.success) out.ready = r.data;
    const d = released.safeParse(json);
    if (d.success) out.released = d.data;
    const f = failed.safeParse(json);
    if (f.success) out.error = f.data.error;
  }
  if (!out.ready && !out.error) out.error = 'dom0-canary printed no report';
  return out;
}
