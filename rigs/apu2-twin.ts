// The QEMU digital twin (see twin/): rigs/apu2-rte.ts as the twin runs it. Only the endpoints
// (all on loopback) and the emulator's documented limits differ (twin/rig/overlay.ts, listed with
// their reasons in docs/twin.md), so a run on the twin boots, flashes and tests the way the real
// bench's rig says — and fails where that rig is wrong. `iommu-lab run --rig apu2-rte --twin` is
// the same rig. `iommu-lab twin up` (or any run with this rig) starts the twin's services.
import { defineRig } from '../lib/rig/define.ts';
import { twinOf } from '../twin/index.ts';
import rte from './apu2-rte.ts';

export default defineRig(twinOf(rte));
