// The rig's `guests` section: which guest types the bench runs, their images and how the test
// host reaches one over its passed-through NIC. Under lib/rig: lib/dom0 builds guests from the
// whole Rig.
import { z } from 'zod';
import { int, ms } from '../../core/rig-fields.ts';
import { sshTarget } from '../../remote/target-schema.ts';

export const guestType = z.enum(['hvm', 'pv']);

export const guestsSchema = z.strictObject({
  types: z.array(guestType).min(1),
  memoryMiB: int(1).default(512),
  kernel: z.string().optional(),
  ramdisk: z.string().optional(),
  disk: z.string().optional(),
  bootTimeoutMs: ms.default(180_000),
  /** How the test host reaches a guest over its passed-through NIC. */
  ssh: sshTarget.optional(),
  /**
   * HVM guests direct-boot `kernel`/`ramdisk` through the device model (no disk needed).
   * Under an emulated CPU without NRIP-save (the twin's TCG) `tscMode: 'native'` and
   * `cpuid: 'host,rdtscp=0'` keep the guest off RDTSCP, which Xen cannot emulate there.
   */
  hvm: z
    .strictObject({
      cmdline: z.string().default('console=ttyS0'),
      tscMode: z.enum(['default', 'always_emulate', 'native', 'native_paravirt']).optional(),
      cpuid: z.string().optional(),
      /** HVM guests boot slower than PV ones (hvmloader, BIOS, emulated devices). */
      bootTimeoutMs: ms.optional(),
    })
    .optional(),
});
