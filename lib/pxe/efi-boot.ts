// What the boot server adds for a UEFI board: EFI iPXE cannot load Xen (no multiboot in its EFI
// builds: docs/real-bench.md), so the board chains GRUB EFI (/efi/grubx64.efi), which sources the
// run's /efi/grub.cfg and loads Xen with multiboot2. Served when the rig's way into iPXE is the
// UEFI boot manager (GRUB must build, or the server does not start), and tried for `auto` (a
// SeaBIOS board never asks; a UEFI one gets the reason GRUB could not be built, when it asks).
import { isRigError, isUsageError, type RigError, type UsageError } from '../core/errors.ts';
import type { Rig } from '../rig/schema.ts';
import { GRUB_CFG_PATH, GRUB_EFI_PATH, renderGrubCfg, renderGrubStub } from './grub-cfg.ts';
import { grubEfi } from './grub-efi.ts';
import type { Source } from './http-server.ts';
import { BOOT_PATHS } from './served-set.ts';

export type EfiBoot =
  | {
      /** What iPXE chains on a UEFI board. */
      chainUrl: string;
      grubCfg: string;
      /** grub-mkstandalone's version line, for the record. */
      grubTool: string;
    }
  | { error: RigError | UsageError };

/** Whether this rig's boot needs the EFI files: always, if the board may be UEFI, or never. */
export function efiWanted(rig: Rig): 'required' | 'optional' | undefined {
  const net = rig.boot.network;
  if (net.method !== 'ipxe-shell' || net.chain) return undefined;
  if (net.entry === 'uefi-boot-manager') return 'required';
  return net.entry === 'auto' ? 'optional' : undefined;
}

/** The EFI files for a server at `base`, to add to its map; undefined when the rig needs none. */
export async function prepareEfiBoot(
  rig: Rig,
  base: string,
  dom0CommandLine: string,
): Promise<{ efi: EfiBoot; serve: [string, Source][] } | undefined> {
  const want = efiWanted(rig);
  if (!want) return undefined;
  try {
    // A rig value GRUB cannot take is the user's mistake: refused before anything is built.
    const grubCfg = renderGrubCfg({
      base,
      xenCommandLine: rig.boot.xenCommandLine,
      dom0CommandLine,
      paths: BOOT_PATHS,
    });
    const grub = await grubEfi(renderGrubStub(base));
    return {
      efi: { chainUrl: `${base}${GRUB_EFI_PATH}`, grubCfg, grubTool: grub.tool },
      serve: [
        [GRUB_EFI_PATH, { bytes: grub.bytes, type: 'application/efi' }],
        [GRUB_CFG_PATH, { bytes: Buffer.from(grubCfg), type: 'text/plain; charset=utf-8' }],
      ],
    };
  } catch (e) {
    // `auto` on a SeaBIOS board never needs GRUB: the reason waits for a board that does.
    if (want === 'required' || !(isRigError(e) || isUsageError(e))) throw e;
    return { efi: { error: e }, serve: [] };
  }
}
