import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isConsoleDeath } from '../../console/death.ts';
import { redactedTap } from '../../console/redacted-tap.ts';
import type { Console } from '../../console/types.ts';
import { isRigError } from '../../core/errors.ts';
import { makeDir } from '../../core/make-dir.ts';
import { loadRig } from '../../rig/load.ts';
import { rigOption } from '../kit/rig-option.ts';
import { attachProgressUi } from '../kit/ui.ts';
import { withSession } from '../kit/with-session.ts';

const QUIT = 0x1d; // Ctrl-], as in telnet

/** Waits until the engineer quits or the console goes away; deaths are shown, not fatal here. */
async function followUntilQuit(c: Console, quit: Promise<void>): Promise<void> {
  let done = false;
  void quit.then(() => (done = true));
  while (!done) {
    try {
      await c.expect(/(?!)/, { timeout: 1000, name: 'interactive session' });
    } catch (e) {
      if (!isRigError(e, 'CONSOLE_TIMEOUT') && !isConsoleDeath(e)) throw e;
    }
    c.discard();
  }
}

export function register(program: Command): void {
  program
    .command('console')
    .description("attach to the board's serial console (Ctrl-] quits); every byte also goes to a transcript")
    .addOption(rigOption())
    .option('--transcript <file>', 'transcript path (default reports/console-<time>-<rig>.log)')
    .action(async (f: { rig: string; transcript?: string }) => {
      const rig = await loadRig(f.rig);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const transcriptPath = resolve(f.transcript ?? join('reports', `console-${stamp}-${rig.name}.log`));
      makeDir(resolve(transcriptPath, '..'), 'the transcript folder');
      // A secret of the rig the board prints is masked on the terminal too (#24 N3).
      const shown = redactedTap((data) => process.stdout.write(data));
      const open = { open: ['console' as const], transcriptPath, consoleTap: shown.tap };
      // Lock takeovers, waits and warnings are shown here too (on stderr), not only in runs.
      const detach = attachProgressUi();
      try {
        await withSession(rig, open, async (s) => {
          const c = s.console;
          console.error(`connected to ${c.description}; transcript ${transcriptPath}; Ctrl-] quits`);
          const stdin = process.stdin;
          const quit = new Promise<void>((res) => {
            if (stdin.isTTY) stdin.setRawMode(true);
            // Keystrokes go out as the bytes the terminal sent: "é" is c3 a9, never re-encoded.
            stdin.on('data', (d: Buffer) => {
              const q = d.indexOf(QUIT);
              if (q >= 0) {
                if (q > 0) void c.send(d.subarray(0, q));
                return res();
              }
              void c.send(d);
            });
            stdin.on('end', () => res());
          });
          try {
            await followUntilQuit(c, quit);
          } finally {
            shown.flush();
            if (stdin.isTTY) stdin.setRawMode(false);
            stdin.pause();
          }
        });
      } finally {
        detach();
      }
    });
}
