// The parts a session opens at once after the lock: the power switch, then the console (its
// transcript starts before the board is switched on, so nothing the board says is lost).
import type { Console } from '../console/types.ts';
import type { PowerSwitch } from '../power/types.ts';
import type { Rig } from '../rig/schema.ts';
import type { NamedParts } from './named-parts.ts';
import type { SessionOptions } from './options.ts';
import type { PartFactories } from './parts.ts';

export async function openEagerParts(
  rig: Rig,
  named: NamedParts,
  parts: PartFactories,
  opts: SessionOptions,
): Promise<{ power?: PowerSwitch; console?: Console }> {
  const power = opts.open.includes('power')
    ? await named.use(
        'power switch',
        () => parts.power(rig.power),
        async (p) => p.close?.(),
      )
    : undefined;
  if (!opts.open.includes('console')) return { power };
  const { transcriptPath, consoleTap: tap } = opts;
  if (!transcriptPath) throw new Error('session: a console needs a transcript path');
  const console = await named.use(
    'console',
    () => parts.console(rig.console, { transcriptPath, tap }),
    (c) => c.close(),
  );
  return { power, console };
}
