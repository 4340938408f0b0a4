import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';

export const SUITES_DIR = resolve(import.meta.dirname, '../../suites');
/** Run order: cheap evidence first, so a board without IOMMU fails early with the cause. */
export const SUITE_ORDER = [
  'firmware',
  'iommu-detection',
  'device-assignment',
  'guest-nic-traffic',
  'boot-stability',
] as const;

export function suiteFiles(names: string[] | undefined): string[] {
  const wanted = names?.length ? names : [...SUITE_ORDER];
  for (const n of wanted)
    if (!(SUITE_ORDER as readonly string[]).includes(n))
      throw new UsageError(`unknown suite "${n}" (suites: ${SUITE_ORDER.join(', ')})`);
  const ordered = SUITE_ORDER.filter((s) => wanted.includes(s));
  return ordered.map((s) => join(SUITES_DIR, `${s}.spec.ts`)).filter((f) => existsSync(f));
}
