// What a bench would be served and typed, without serving: `iommu-lab pxe serve --dry-run`. A
// bench owner checks the files (sizes, SHA-256), the script and the iPXE commands before a run.
import { stat } from 'node:fs/promises';
import { sha256File } from '../core/sha256-file.ts';
import type { Rig } from '../rig/schema.ts';
import type { BootPlan } from './boot-server.ts';
import { shellCommands } from './script.ts';
import type { ServedImages } from './served-manifest.ts';
import type { Checked } from './served-set.ts';

/** What the board is told to do to fetch the script, by the rig's network-boot method. */
export function howTheBoardChains(rig: Rig, scriptUrl: string): string[] {
  const net = rig.boot.network;
  if (net.method === 'ipxe-shell')
    return [
      ...(net.key ? [`at "${net.prompt}": "${net.key}"`] : []),
      net.entry === 'menu'
        ? 'at the PC Engines iPXE menu ("autoboot", 3 s): arrow-up, Enter ("ipxe shell")'
        : 'at "Press Ctrl-B for the iPXE command line": Ctrl-B',
      `then typed ${net.charDelayMs} ms a character:`,
      ...shellCommands(net.chain ?? scriptUrl, net.interface).map((c) => `  iPXE> ${c}`),
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
