// The rig's `guests` section: which guest types the bench runs, their images and how the test
// host reaches one over its passed-through NIC. Under lib/rig: lib/dom0 builds guests from the
// whole Rig.
import { z } from 'zod';
import { int, ms } from '../../core/rig-fields.ts';
import { sshTarget } from '../../remote/target-schema.ts';

export const guestType = z.enum(['hvm', 'pv']);

/** A dom0 path safe inside qemu's comma-separated -drive option and an xl.cfg string. */
export const SAFE_DOM0_PATH = /^\/[A-Za-z0-9._/-]+$/;

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
   * HVM guests boot `bootDisk` when it is set (a SYSLINUX disk image in dom0 that qemu-xen
   * attaches as a virtio disk: `pxe images` and the twin build one, lib/images/hvm-boot-disk.ts),
   * else direct-boot `kernel`/`ramdisk` through the device model with `cmdline` (no disk needed,
   * but the device model reads them one byte per I/O access: slow under an emulated CPU).
   * Under an emulated CPU without NRIP-save (the twin's TCG) `tscMode: 'native'` and
   * `cpuid: 'host,rdtscp=0'` keep the guest off RDTSCP, which Xen cannot emulate there.
   */
  hvm: z
    .strictObject({
      bootDisk: z
        .string()
        .regex(
          SAFE_DOM0_PATH,
          'an absolute path in dom0 of letters, digits and "._/-" (it goes into qemu\'s -drive option)',
        )
        .optional(),
      /** Direct kernel boot only: a boot disk carries its own (syslinux.cfg). Default "console=ttyS0". */
      cmdline: z.string().optional(),
      tscMode: z.enum(['default', 'always_emulate', 'native', 'native_paravirt']).optional(),
      cpuid: z.string().optional(),
      /** HVM guests boot slower than PV ones (hvmloader, BIOS, emulated devices). */
      bootTimeoutMs: ms.optional(),
    })
    .refine((h) => !(h.bootDisk && h.cmdline), {
      message: 'cmdline is for direct kernel boot: the boot disk carries its own command line (its syslinux.cfg)',
      path: ['cmdline'],
    })
    .optional(),
});
