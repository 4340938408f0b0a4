// The one-line problem an unreadable input is refused with ('none' when it was not refused).
import assert from 'node:assert/strict';
import type { InputError } from '../../lib/analyze/read-input.ts';
import { isUsageError } from '../../lib/core/errors.ts';

export async function problem(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isUsageError(e), String(e));
    return (e as InputError).problem;
  }
  return 'none';
}
