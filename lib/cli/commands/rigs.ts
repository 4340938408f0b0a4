import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { errorMessage } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-code.ts';
import { listRigFiles, loadRig } from '../../rig/load.ts';

export function register(program: Command): void {
  program
    .command('rigs')
    .description('list and validate every rig in rigs/, or check one rig file (exit 2 when invalid)')
    .option('--rig <name|path>', 'check only this rig')
    .action(async (f: { rig?: string }) => {
      const targets = f.rig ? [f.rig] : listRigFiles();
      let bad = 0;
      for (const t of targets) {
        try {
          const rig = await loadRig(t);
          const caps = Object.entries(rig.capabilities)
            .filter(([, v]) => v === true)
            .map(([k]) => k);
          console.log(
            `ok       ${rig.name.padEnd(16)} ${rig.board.model}; power ${rig.power.kind}, console ${rig.console.kind}, caps ${caps.join(' ')}${rig.provider ? ` (provider ${rig.provider})` : ''}`,
          );
        } catch (e) {
          bad++;
          console.log(`INVALID  ${f.rig ? '' : basename(t, extname(t)).padEnd(16) + ' '}${errorMessage(e)}`);
        }
      }
      if (bad) process.exitCode = EXIT.usage;
    });
}
