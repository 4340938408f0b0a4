// A console transport is what differs between ways to reach the board's serial console: its rig
// section (a zod object with a literal `kind`), how it is described in logs, and how it is opened
// into a Transport. One file in lib/console/transports/ exporting `default
// defineConsoleTransport(...)`, found by lib/console/schema.ts like power backends are.
import type { z } from 'zod';
import type { TcpOptions } from './tcp.ts';
import type { ConsoleSink, Transport } from './transport.ts';

/** What every transport's open gets besides its section: the TCP one's timings (others ignore them). */
export type TransportOptions = TcpOptions;

export interface ConsoleSection {
  kind: string;
}

export interface ConsoleTransport<C extends ConsoleSection = ConsoleSection> {
  readonly kind: string;
  readonly schema: z.ZodObject;
  describe(cfg: C): string;
  open(cfg: C, sink: ConsoleSink, opts: TransportOptions): Promise<Transport>;
}

const BRAND = Symbol.for('iommu-lab.console-transport');

export function defineConsoleTransport<S extends z.ZodObject>(
  schema: S,
  t: {
    describe(cfg: z.output<S>): string;
    open(cfg: z.output<S>, sink: ConsoleSink, opts: TransportOptions): Promise<Transport>;
  },
): ConsoleTransport {
  const kind = (schema.shape as { kind?: { value?: unknown } }).kind?.value;
  if (typeof kind !== 'string') throw new Error('a console transport schema needs kind: z.literal("…")');
  return Object.assign(
    { kind, schema, ...(t as unknown as Pick<ConsoleTransport, 'describe' | 'open'>) },
    {
      [BRAND]: true,
    },
  );
}

export function isConsoleTransport(v: unknown): v is ConsoleTransport {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}
