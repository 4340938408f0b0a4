import type { RigInput } from './schema.ts';

/** Typed identity: gives rig files autocompletion and type errors in the editor. */
export function defineRig(rig: RigInput): RigInput {
  return rig;
}
