// What a bench would be served and typed, without serving: `iommu-lab pxe serve --dry-run`. A
// bench owner checks the files (sizes, SHA-256), the script and the iPXE commands before a run.
import { stat } from 'node:fs/promises';
import { sha256File } from '../core/sha256-file.ts';
import type { Rig } from '../rig/schema.ts';
import type { BootPlan } from './boot-server.ts';
import { efiWanted } from './efi-boot.ts';
import { GRUB_CFG_PATH, GRUB_EFI_PATH, renderGrubCfg } from './grub-cfg.ts';
import { SCRIPT_PATH, shellCommands } from './script.ts';
import type { ServedImages } from './served-manifest.ts';
import type { Checked } from './served-set.ts';
import { BOOT_PATHS } from './served-set.ts';

/** How each entry reaches the iPXE shell, in the words of the firmware's screens. */
const ENTRY_WORDS = {
  menu: 'at the PC Engines iPXE menu ("autoboot", 3 s): arrow-up, Enter ("ipxe shell")',
  'dasharo-menu': 'at the Dasharo Network Boot Menu (3 s): Down ×3, Enter ("iPXE Shell")',
  'uefi-boot-manager':
    'at "ENTER to boot directly" (6 s): F10; in the boot manager menu: Down to "iPXE Network Boot", Enter; then Down ×3, Enter ("iPXE Shell")',
  'ctrl-b': 'at "Press Ctrl-B for the iPXE command line": Ctrl-B',
  auto: 'whichever of these the console shows: PC Engines menu, Dasharo menu, UEFI prompt (F10), Ctrl-B',
} as const;

/** What the board is told to do to fetch the script, by the rig's network-boot method. */
export function howTheBoardChains(rig: Rig, scriptUrl: string): string[] {
  const net = rig.boot.network;
  const grub = `${scriptUrl.slice(0, -SCRIPT_PATH.length)}${GRUB_EFI_PATH}`;
  if (net.method === 'ipxe-shell')
    return [
      ...(net.key ? [`at "${net.prompt}": "${net.key}"`] : []),
      ENTRY_WORDS[net.entry],
      `then typed ${net.charDelayMs} ms a character:`,
      ...shellCommands(net.chain ?? (net.entry === 'uefi-boot-manager' ? grub : scriptUrl), net.interface).map(
        (c) => `  iPXE> ${c}`,
      ),
      ...(net.entry === 'auto' && !net.chain ? [`  (an EFI iPXE chains ${grub} instead)`] : []),
    ];
  return [`nothing typed (method "${net.method}"): the lab's DHCP or proxy-DHCP must hand iPXE ${scriptUrl}`];
}

/** The plan as a bench owner reads it; a file that cannot be served says why, in its row. */
export async function describePlan(rig: Rig, plan: BootPlan, files: Checked[], images?: ServedImages): Promise<string> {
  const listen = rig.boot.server!.listen;
  const rows = await Promise.all(
    files.map(async (f) => {
      const head = `  ${f.path.padEnd(24)}`;
      if ('error' in f) return `${head} NOT SERVABLE (${f.error.code}): ${f.error.message}`;
      const { size } = await stat(f.file);
      return `${head} ${String(size).padStart(11)} B  sha256 ${await sha256File(f.file)}  ${f.what}: ${f.file}`;
    }),
  );
  return [
    `${rig.name}: boot server on ${listen.host}:${listen.port}, reached by the board as ${plan.base}`,
    'files:',
    `  ${'/boot.ipxe'.padEnd(24)} ${String(Buffer.byteLength(plan.script)).padStart(11)} B  rendered from the rig:`,
    ...plan.script
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`),
    ...grubRows(rig, plan),
    ...rows,
    ...(images
      ? [
          `image set ${images.key} (${images.flavour ?? 'twin'}, built ${images.builtAt}): Xen ${images.xenVersion}, dom0 ${images.dom0Kernel}, sha256 ${images.imageHash ?? '?'}`,
        ]
      : []),
    'the board:',
    ...howTheBoardChains(rig, plan.scriptUrl).map((l) => `  ${l}`),
  ].join('\n');
}

/** GRUB EFI and the grub.cfg a UEFI board gets (lib/pxe/efi-boot.ts); GRUB itself is built when serving. */
function grubRows(rig: Rig, plan: BootPlan): string[] {
  if (!efiWanted(rig)) return [];
  const cfg = renderGrubCfg({
    base: plan.base,
    xenCommandLine: rig.boot.xenCommandLine,
    dom0CommandLine: rig.boot.server!.dom0CommandLine,
    paths: BOOT_PATHS,
  });
  return [
    `  ${GRUB_EFI_PATH.padEnd(24)} GRUB EFI (grub-mkstandalone, built when serving), its stub sources ${GRUB_CFG_PATH}`,
    `  ${GRUB_CFG_PATH.padEnd(24)} ${String(Buffer.byteLength(cfg)).padStart(11)} B  rendered from the rig:`,
    ...cfg
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`),
  ];
}
