// Power through external programs named in the rig (a PDU's CLI, `uhubctl`, a lab script), each
// an argv array run without a shell. The optional `state` program prints "on" or "off".

import { isRigError, RigError } from '../core/errors.ts';
import { exec } from '../core/exec.ts';
import { redact } from '../core/redact.ts';
import { type CommandResult, failureMessage, succeeded } from '../core/result.ts';
import { step } from '../core/step.ts';
import type { PowerConfig } from '../rig/schema.ts';
import { cycleWith } from './cycle.ts';
import type { PowerState, PowerSwitch } from './types.ts';

type CommandConfig = Extract<PowerConfig, { kind: 'command' }>;

export class CommandPower implements PowerSwitch {
  readonly description: string;

  constructor(private readonly cfg: CommandConfig) {
    this.description = `power command ${cfg.on[0]}`;
  }

  on(): Promise<void> {
    return step('power on', { switch: this.description, argv: this.cfg.on }, async () => {
      await this.run('on', this.cfg.on);
    });
  }

  off(): Promise<void> {
    return step('power off', { switch: this.description, argv: this.cfg.off }, async () => {
      await this.run('off', this.cfg.off);
    });
  }

  cycle(): Promise<void> {
    return cycleWith(this, this.cfg.minOffMs);
  }

  async state(): Promise<PowerState> {
    if (!this.cfg.state) return 'unknown';
    const r = await this.run('state', this.cfg.state);
    const word = r.stdout.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (['on', '1', 'true'].includes(word)) return 'on';
    if (['off', '0', 'false'].includes(word)) return 'off';
    throw new RigError(
      redact(
        `${this.description}: state command printed ${JSON.stringify(r.stdout.slice(0, 80))}, expected "on" or "off"`,
      ),
      {
        code: 'POWER_BAD_REPLY',
        part: 'power',
        phase: 'state',
      },
    );
  }

  private async run(phase: string, argv: string[]): Promise<CommandResult> {
    const r = await exec(argv, { timeoutMs: this.cfg.timeoutMs }).catch((e: unknown) => {
      if (!isRigError(e, 'EXEC_SPAWN')) throw e;
      throw new RigError(redact(`${this.description}: ${e.message}`), { code: 'POWER_COMMAND', part: 'power', phase });
    });
    if (!succeeded(r)) {
      throw new RigError(failureMessage(r, this.description), {
        code: r.timedOut ? 'POWER_TIMEOUT' : 'POWER_COMMAND',
        part: 'power',
        phase,
      });
    }
    return r;
  }
}
