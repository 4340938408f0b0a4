// The twin's image profile: what lib/images bakes into the twin's set. Its dom0 sits on QEMU's
// user network (slirp), which always hands out 10.0.2.15 behind the gateway 10.0.2.2: dom0 takes
// that address statically (as it always has), the PV guest asks DHCP and falls back to it.
import { readFile } from 'node:fs/promises';
import type { Compression } from '../../lib/images/cpio.ts';
import type { ImageProfile, StaticAddress } from '../../lib/images/profile.ts';
import { BOOT_FILES } from './boot-files.ts';
import type { TwinKeys } from './keys.ts';

/** slirp's fixed guest address and gateway (QEMU's defaults for -netdev user). */
export const SLIRP_ADDRESS: StaticAddress = { cidr: '10.0.2.15/24', gateway: '10.0.2.2' };

/** The twin's first NIC, as on an apu2: dom0's network. */
const DOM0_NIC = '0000:01:00.0';

export const TWIN_LAYOUT = {
  xen: `boot/${BOOT_FILES.xen}`,
  dom0Kernel: `boot/${BOOT_FILES.kernel}`,
  dom0Initrd: `boot/${BOOT_FILES.initrd}`,
  guestInitrd: 'guest/initrd.gz',
} as const;

export async function twinProfile(
  keys: TwinKeys,
  compression: Compression,
  label = 'twin images',
): Promise<ImageProfile> {
  return {
    flavour: 'twin',
    label,
    dom0: { nicPci: DOM0_NIC, address: { kind: 'static', ...SLIRP_ADDRESS } },
    guest: { address: { kind: 'dhcp', fallback: SLIRP_ADDRESS } },
    keys: {
      // The .pub file as ssh-keygen wrote it (comment included), as the twin always baked it.
      authorizedKeys: await readFile(`${keys.client}.pub`, 'utf8'),
      dom0HostKey: keys.dom0Host,
      guestHostKey: keys.guestHost,
    },
    dom0Compression: compression,
    layout: TWIN_LAYOUT,
  };
}
