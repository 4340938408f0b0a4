// The QEMU twin booting Debian 13's Xen 4.20 images (xen-hypervisor-4.20-amd64, xen-utils-4.20,
// qemu-system-xen, Linux 6.12 dom0 and guests): the same bench as apu2-twin — one QEMU 7.2 board,
// one lock — with the other image set, and nothing else changed (twin/rig/overlay.ts
// IMAGE_SET_REPLACEMENTS). `iommu-lab twin setup --xen 4.20` builds the set (a run builds it too
// when missing); docs/twin.md says what this twin shows and cannot show.
import { defineRig } from '../lib/rig/define.ts';
import { twinImageSet } from '../twin/index.ts';
import twin from './apu2-twin.ts';

export default defineRig(twinImageSet(twin, 'xen420'));
