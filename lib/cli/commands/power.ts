import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import { loadRig } from '../../rig/load.ts';
import { rigOption } from '../kit/rig-option.ts';
import { attachProgressUi } from '../kit/ui.ts';
import { withSession } from '../kit/with-session.ts';

const ACTIONS = ['on', 'off', 'cycle', 'status'] as const;

export function register(program: Command): void {
  program
    .command('power')
    .description('switch the board: on, off, cycle, or show its status')
    .argument('<action>', ACTIONS.join('|'))
    .addOption(rigOption())
    .action(async (action: string, f: { rig: string }) => {
      if (!(ACTIONS as readonly string[]).includes(action))
        throw new UsageError(`power: unknown action "${action}" (use ${ACTIONS.join(', ')})`);
      const rig = await loadRig(f.rig);
      // Lock takeovers, waits and warnings are shown here too (on stderr), not only in runs.
      const detach = attachProgressUi();
      try {
        await withSession(rig, { open: ['power'] }, async (s) => {
          const power = s.power;
          if (action === 'on') await power.on();
          if (action === 'off') await power.off();
          if (action === 'cycle') await power.cycle();
          console.log(`${rig.name}: power ${await power.state()}`);
        });
      } finally {
        detach();
      }
    });
}
