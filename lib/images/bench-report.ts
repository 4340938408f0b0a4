// What `iommu-lab pxe images` prints once the set is there: the host keys to pin, then one line
// that says what was built (or found cached), where, from what, and its hash.

import type { Rig } from '../rig/schema.ts';
import { ensureBenchImages } from './bench.ts';
import { xenVersionOf } from './manifest.ts';

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

export async function buildBenchImages(rig: Rig, opts: { out?: string; force?: boolean }): Promise<string[]> {
  const r = await ensureBenchImages(rig, opts);
  const m = r.manifest;
  const how = r.built
    ? `built in ${(r.elapsedMs / 1000).toFixed(1)} s`
    : `cached (built ${m.builtAt} in ${(m.buildMs / 1000).toFixed(1)} s)`;
  const sizes = Object.entries(m.sizes)
    .map(([f, n]) => `${f} ${mib(n)}`)
    .join(', ');
  return [
    ...(m.hostKeys
      ? [
          `dom0 host key ${m.hostKeys.dom0}: pin it with dom0.hostKey: { fingerprint: '${m.hostKeys.dom0}' }`,
          `guest host key ${m.hostKeys.guest}`,
        ]
      : []),
    `${rig.name} images ${m.key} ${how} into ${r.root}: Xen ${xenVersionOf(m.xenPackageVersion)}, dom0 Linux ${m.kernelVersion}, ${sizes}; image sha256 ${m.imageHash ?? '?'}`,
  ];
}
