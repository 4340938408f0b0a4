// One-shot commands (power, console, flash) use the same session as a run: provider, lock,
// the parts they ask for, and the same teardown on every exit path, Ctrl-C included.
import { RigError } from '../../core/errors.ts';
import type { Rig } from '../../rig/schema.ts';
import type { PartFactories } from '../../session/parts.ts';
import { Session, type SessionOptions } from '../../session/session.ts';

export async function withSession<T>(
  rig: Rig,
  opts: SessionOptions,
  body: (s: Session) => Promise<T>,
  parts?: PartFactories,
): Promise<T> {
  const s = await Session.open(rig, { ...opts, parts: parts ?? opts.parts });
  let result: T;
  try {
    result = await body(s);
  } catch (e) {
    await s.close();
    throw e;
  }
  const failures = await s.close();
  // A bench left powered or locked is the lab's problem, and must be said (exit 2).
  if (failures.length)
    throw new RigError(`the bench was not restored: ${failures.join('; ')}`, {
      code: 'BENCH_NOT_RESTORED',
      part: 'session',
    });
  return result;
}
