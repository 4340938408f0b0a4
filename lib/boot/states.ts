/** The boot path of an apu2 bench, in order. */
export const BOOT_STATES = ['off', 'firmware', 'ipxe', 'xen', 'dom0'] as const;
export type BootState = (typeof BOOT_STATES)[number];
export type StrategyState = BootState | 'unknown';

export function stateIndex(s: BootState): number {
  return BOOT_STATES.indexOf(s);
}
