// What happens to the board's power when a run (or a health check) ends: off, unless the
// engineer said --keep-on, the run adopted a board it did not switch on (--assume), or the lease
// was lost (the board is another holder's now). One-shot commands (`power on`, `flash`) register
// nothing: they leave the power as the command set it.
import { progress } from '../core/progress.ts';
import { step } from '../core/step.ts';
import type { Session } from './session.ts';

export interface EndPowerPolicy {
  /** `--keep-on`. */
  keepOn?: boolean;
  /** `--assume`: leave a board this session never switched on as it was found. */
  assumed?: boolean;
}

/**
 * Registers the final power-off. Call it once the session's parts are open: pushed last, it runs
 * first at teardown, while the console still records the board's last words.
 */
export function powerOffAtEnd(s: Session, policy: EndPowerPolicy = {}): void {
  s.teardown.push('power off board', async () => {
    // Whatever happens to the power, the dom0 connection ends with the run: an open SSH session
    // would keep the process alive after --keep-on or --assume.
    await s.dropDom0();
    if (s.lost) {
      progress.emit('warn', 'board not switched off: the bench belongs to another holder now');
      return;
    }
    if (policy.keepOn) {
      progress.emit('info', 'board left powered on (--keep-on)');
      return;
    }
    if (policy.assumed && !s.poweredByUs) {
      progress.emit('info', 'board left as it was found (--assume)');
      return;
    }
    await step('power off board', {}, () => s.power.off());
  });
}
