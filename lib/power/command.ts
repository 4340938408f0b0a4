// Power through external programs named in the rig (a PDU's CLI, `uhubctl`, a lab script), each
// an argv array run without a shell. The optional `state` program prints "on" or "off".
// The programs get a cleaned environment (lib/core/child-env.ts) and their own process group:
// close() (the teardown of Ctrl-C or SIGTERM) kills a program still running, and what it started.
import { childEnv } from '../core/child-env.ts';
import { isRigError, RigError } from '../core/errors.ts';
import { exec } from '../core/exec.ts';
import { printable } from '../core/printable.ts';
import { MIN_SECRET_LENGTH, redact, registerSecret } from '../core/redact.ts';
import { type CommandResult, lastLines } from '../core/result.ts';
import { step } from '../core/step.ts';
import type { PowerConfig } from '../rig/schema.ts';
import { cycleWith } from './cycle.ts';
import type { PowerState, PowerSwitch } from './types.ts';

type CommandConfig = Extract<PowerConfig, { kind: 'command' }>;

export class CommandPower implements PowerSwitch {
  readonly description: string;

  private readonly running = new Set<AbortController>();
  private readonly env: Record<string, string>;

  constructor(private readonly cfg: CommandConfig) {
    this.description = `power command ${cfg.on[0]}`;
    this.env = childEnv(cfg.env);
    // A variable the rig hands to its script may be a credential: mask it if the script prints it.
    for (const name of cfg.env ?? []) {
      const v = this.env[name];
      if (v && v.length >= MIN_SECRET_LENGTH && /pass|token|secret|key/i.test(name)) registerSecret(v);
    }
  }

  async close(): Promise<void> {
    for (const c of this.running) c.abort();
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
        `${this.description}: state command printed "${printable(r.stdout, { max: 80 })}", expected "on" or "off"`,
      ),
      {
        code: 'POWER_BAD_REPLY',
        part: 'power',
        phase: 'state',
      },
    );
  }

  private async run(phase: string, argv: string[]): Promise<CommandResult> {
    const abort = new AbortController();
    this.running.add(abort);
    const r = await exec(argv, { timeoutMs: this.cfg.timeoutMs, env: this.env, signal: abort.signal })
      .catch((e: unknown) => {
        if (isRigError(e, 'INTERRUPTED'))
          throw new RigError(`${this.description}: \`${argv.join(' ')}\` was stopped (the command is shutting down)`, {
            code: 'POWER_COMMAND',
            part: 'power',
            phase,
          });
        if (!isRigError(e, 'EXEC_SPAWN')) throw e;
        throw new RigError(redact(`${this.description}: ${e.message}`), {
          code: 'POWER_COMMAND',
          part: 'power',
          phase,
        });
      })
      .finally(() => this.running.delete(abort));
    if (r.timedOut || r.exitCode !== 0) {
      const why = r.timedOut
        ? `timed out after ${this.cfg.timeoutMs} ms`
        : abort.signal.aborted
          ? 'was stopped (the command is shutting down)'
          : `exited ${r.exitCode ?? '(did not start)'}`;
      const tail = printable(lastLines(r.stderr || r.stdout, 5), { multiline: true, max: 1000 });
      throw new RigError(redact(`${this.description}: \`${r.command}\` ${why}${tail ? `\n${tail}` : ''}`), {
        code: r.timedOut ? 'POWER_TIMEOUT' : 'POWER_COMMAND',
        part: 'power',
        phase,
      });
    }
    return r;
  }
}
