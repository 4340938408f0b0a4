// One-shot commands (power, console, flash) use the same session as a run: provider, lock,
// the parts they ask for, and the same teardown on every exit path, Ctrl-C included.
import type { Rig } from '../../rig/schema.ts';
import type { PartFactories } from '../../session/parts.ts';
import { Session, type SessionOptions } from '../../session/session.ts';
import { notRestored } from '../../session/teardown.ts';

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
  const broken = notRestored(await s.close());
  if (broken) throw broken;
  return result;
}
