// The console transports are the files in lib/console/transports/, found when this module loads
// (lib/core/discover.ts): a new way to reach a console is one file there. The rig's `console`
// section is validated by the schema of the transport its `kind` names.
import { join } from 'node:path';
import { z } from 'zod';
import { discoverDefinitions } from '../core/discover.ts';
import { type ConsoleSection, type ConsoleTransport, isConsoleTransport } from './define-transport.ts';

const found = await discoverDefinitions(join(import.meta.dirname, 'transports'), isConsoleTransport, {
  what: 'defineConsoleTransport(...)',
  nameOf: (t) => t.kind,
  kind: 'console transports',
});

export const consoleTransports: ReadonlyMap<string, ConsoleTransport> = new Map(
  found.map(({ definition: t }) => [t.kind, t]),
);

const [first, ...rest] = [...consoleTransports.values()].map((t) => t.schema);
if (!first) throw new Error('no console transport in lib/console/transports/');

/** Every transport's own keys (tty: path, baudRate; tcp: host, port, protocol). */
export type ConsoleConfig = ConsoleSection & Record<string, unknown>;
export type ConsoleConfigInput = { kind: string } & Record<string, unknown>;

/** A rig's `console` section: one of the transports' sections, chosen by `kind`. */
export const consoleSchema = z.discriminatedUnion('kind', [first, ...rest]) as unknown as z.ZodType<
  ConsoleConfig,
  ConsoleConfigInput
>;

export function consoleTransport(cfg: ConsoleSection): ConsoleTransport {
  const t = consoleTransports.get(cfg.kind);
  if (!t) throw new Error(`no console transport "${cfg.kind}" (known: ${[...consoleTransports.keys()].join(', ')})`);
  return t;
}
