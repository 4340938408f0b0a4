// The verdict of iommu-detection's "reports no IVRS/IVHD errors": Xen's IVRS errors and IOMMU
// start failures (every wording of Xen 4.8–4.22, lib/xen/amd-vi-messages.ts) from the serial
// capture and `xl dmesg`, each line once. Warnings are shown, never failed on.
import type { AmdViHit, XenLogFacts } from './xen-log.ts';

export interface IvrsVerdict {
  errors: AmdViHit[];
  warnings: AmdViHit[];
  /** Why the check fails, or null when it passes. */
  failure: string | null;
}

/** The same line seen in the serial capture and in `xl dmesg` counts once (the first seen). */
function once(hits: AmdViHit[]): AmdViHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = h.text.replace(/^\(XEN\)\s*(?:\[[^\]]*\]\s*)?/, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function ivrsVerdict(...logs: XenLogFacts[]): IvrsVerdict {
  const errors = once(logs.flatMap((l) => l.ivhdErrors));
  const warnings = once(logs.flatMap((l) => l.ivrsWarnings));
  const failure = errors.length
    ? `Xen reported ${errors.length} IVRS/IVHD/IVMD error(s) or IOMMU start failure(s):\n${errors
        .map((e) => `  ${e.code}: ${e.text}`)
        .join('\n')}`
    : null;
  return { errors, warnings, failure };
}

/**
 * Up to Xen 4.15 the IVRS/IVHD/IVMD parse errors go through AMD_IOMMU_DEBUG and print only with
 * iommu=debug; 4.16 (commit 91f428ea7c) prints them always. Without it an old Xen passes silently.
 */
export function ivrsErrorsNeedDebug(xenVersion: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(xenVersion);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major < 4 || (major === 4 && minor < 16);
}
