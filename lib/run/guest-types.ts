// Which guest types a run drives a passed-through device from, and why the others are left out:
// the rig's list, `--guests`, the board's capabilities, and what Xen itself offers (virt_caps).
import { UsageError } from '../core/errors.ts';
import type { Rig } from '../rig/schema.ts';

export type GuestType = 'hvm' | 'pv';

export const GUEST_TYPES: readonly GuestType[] = ['hvm', 'pv'];

/** The virt_caps word without which Xen cannot pass a device to this guest type. */
export const DIRECTIO_CAP: Record<GuestType, string> = { hvm: 'hvm_directio', pv: 'pv_directio' };

/**
 * Why a guest of this type does not run here, or undefined when it does. virtCaps is `xl info`'s
 * list; undefined when not read yet (then only the static reasons are checked).
 */
export function guestTypeSkipReason(
  rig: Rig,
  type: GuestType,
  only: readonly GuestType[] | undefined,
  virtCaps?: readonly string[],
): string | undefined {
  if (!rig.guests?.types.includes(type)) return `rig ${rig.name} does not run ${type} guests (guests.types)`;
  if (only && !only.includes(type)) return `--guests ${only.join(',')}: ${type} guests are left out of this run`;
  if (!rig.capabilities[type]) return `rig ${rig.name}: the board cannot run ${type} guests (capabilities.${type})`;
  const cap = DIRECTIO_CAP[type];
  if (virtCaps && !virtCaps.includes(cap))
    return `xl info virt_caps lack ${cap}: Xen on this board cannot pass devices to ${type.toUpperCase()} guests`;
  return undefined;
}

/** `--guests hvm,pv` (or repeated words) → the list; one-line error for anything else. */
export function parseGuestTypes(words: readonly string[]): GuestType[] {
  const out = new Set<GuestType>();
  for (const w of words.flatMap((x) => x.split(',')).filter(Boolean)) {
    if (!GUEST_TYPES.includes(w as GuestType)) throw new UsageError(`--guests takes hvm and/or pv, got "${w}"`);
    out.add(w as GuestType);
  }
  if (!out.size) throw new UsageError('--guests needs at least one of hvm, pv');
  return [...out];
}
