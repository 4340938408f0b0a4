// A message shown in a terminal or CI log must carry no control byte a peer sent (C0, ESC, DEL, C1).
import assert from 'node:assert/strict';
import { isRigError, type RigError } from '../../lib/core/errors.ts';

export function assertNoControlBytes(text: string): void {
  assert.doesNotMatch(text, /[\x00-\x1f\x7f-\x9f]/, JSON.stringify(text));
}

/** The LOCK_HELD error of a contender, its message free of the holder's control bytes. */
export async function lockHeldError(acquire: Promise<void>): Promise<RigError> {
  const e = await acquire.catch((x: unknown) => x);
  assert.ok(isRigError(e), String(e));
  assert.equal(e.code, 'LOCK_HELD');
  assertNoControlBytes(e.message);
  return e;
}
