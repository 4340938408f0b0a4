// `iommu-lab pxe serve --rig R [--dry-run]`: serve the board's network boot from this host (rig
// boot.server) until Ctrl-C, printing each request — or show what would be served and typed.
// `iommu-lab pxe images --rig R [--out DIR] [--force]`: build the image set it serves.
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { expandPath } from '../../core/secrets.ts';
import { buildBenchImages } from '../../images/bench-report.ts';
import { planBoot, serverConfig } from '../../pxe/boot-server.ts';
import { describePlan } from '../../pxe/dry-run.ts';
import { servedImages } from '../../pxe/served-manifest.ts';
import { checkServedSet } from '../../pxe/served-set.ts';
import { loadRig } from '../../rig/load.ts';
import type { Rig } from '../../rig/schema.ts';
import { rigOption } from '../kit/rig-option.ts';
import { attachProgressUi } from '../kit/ui.ts';
import { withSession } from '../kit/with-session.ts';

function needServer(rig: Rig): void {
  if (!rig.boot.server)
    throw new UsageError(
      `rig ${rig.name} has no boot.server: its lab serves the boot itself (README: "Network boot from iommu-lab")`,
    );
}

export function register(program: Command): void {
  const pxe = program.command('pxe').description("the board's network boot, served by iommu-lab (rig boot.server)");
  pxe
    .command('serve')
    .description('serve the iPXE script, Xen, dom0 and guest images until Ctrl-C; each request is printed')
    .addOption(rigOption())
    .option('--dry-run', 'print the files (size, SHA-256), the script and the iPXE commands; serve nothing')
    .action(async (f: { rig: string; dryRun?: boolean }) => {
      const rig = await loadRig(f.rig);
      needServer(rig);
      if (f.dryRun) {
        const files = await checkServedSet(serverConfig(rig));
        const served = files.flatMap((c) => ('error' in c ? [] : [c]));
        const images = await servedImages(expandPath(serverConfig(rig).root), served);
        console.log(await describePlan(rig, planBoot(rig), files, images));
        // A run would stop at the first of these: so does the dry run (exit 2).
        for (const c of files) if ('error' in c) throw c.error;
        return;
      }
      // The bench's lock is taken: a run on the same bench would serve (and bind) the same.
      const detach = attachProgressUi();
      try {
        await withSession(rig, { open: [], serveBoot: true }, async (s) => {
          const server = s.bootServer!;
          console.log(await describePlan(rig, server, server.files, server.images));
          console.log('serving until Ctrl-C; each request follows');
          await new Promise<never>(() => {});
        });
      } finally {
        detach();
      }
    });
  pxe
    .command('images')
    .description("build the apu2 image set (Xen, dom0 kernel and initramfs) into the rig's boot.server.root")
    .addOption(rigOption())
    .option('--out <dir>', 'build into this folder instead of boot.server.root')
    .option('--force', 'rebuild even when the cache holds a set for the same inputs')
    .action(async (f: { rig: string; out?: string; force?: boolean }) => {
      const rig = await loadRig(f.rig);
      needServer(rig);
      // A software bench's root is its own image cache (the twin's): built by its own setup.
      if (rig.provider)
        throw new UsageError(
          `rig ${rig.name} is a software bench (provider ${rig.provider}): it builds its own images (iommu-lab twin setup)`,
        );
      const detach = attachProgressUi();
      try {
        for (const line of await buildBenchImages(rig, { out: f.out, force: f.force })) console.log(line);
      } finally {
        detach();
      }
    });
}
