// "Power switch" for a board on a desk without one: asks the engineer at the terminal. In CI, or
// without a terminal, nobody would answer, so it refuses at once instead of hanging the run.
import { createInterface } from 'node:readline/promises';
import { RigError } from '../core/errors.ts';
import { step } from '../core/step.ts';
import type { PowerConfig } from '../rig/schema.ts';
import { cycleWith } from './cycle.ts';
import type { PowerState, PowerSwitch } from './types.ts';

type ManualConfig = Extract<PowerConfig, { kind: 'manual' }>;

export interface ManualIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** How long to wait for the engineer. */
  answerTimeoutMs: number;
}

export class ManualPower implements PowerSwitch {
  readonly description = 'manual power (the engineer switches the board)';
  /** What the engineer last confirmed; nothing else can know. */
  private last: PowerState = 'unknown';
  private readonly io: ManualIo;

  constructor(
    private readonly cfg: ManualConfig,
    io: Partial<ManualIo> = {},
  ) {
    this.io = { input: process.stdin, output: process.stdout, env: process.env, answerTimeoutMs: 15 * 60_000, ...io };
  }

  on(): Promise<void> {
    return step('power on', { switch: this.description }, () => this.ask('on'));
  }

  off(): Promise<void> {
    return step('power off', { switch: this.description }, () => this.ask('off'));
  }

  cycle(): Promise<void> {
    return cycleWith(this, this.cfg.minOffMs);
  }

  async state(): Promise<PowerState> {
    return this.last;
  }

  private async ask(want: 'on' | 'off'): Promise<void> {
    const { input, output, env, answerTimeoutMs } = this.io;
    const why = env.CI === 'true' ? 'CI=true' : !input.isTTY ? 'stdin is not a terminal' : '';
    if (why)
      throw new RigError(
        `${this.description}: cannot ask anyone to switch the board ${want} (${why}); use a rig with a power switch`,
        {
          code: 'POWER_MANUAL_UNATTENDED',
          part: 'power',
          phase: want,
        },
      );
    const rl = createInterface({ input, output, terminal: false });
    const signal = AbortSignal.timeout(answerTimeoutMs);
    try {
      await rl.question(`>>> Switch the board ${want.toUpperCase()} and press Enter `, { signal });
    } catch {
      throw new RigError(`${this.description}: nobody switched the board ${want} within ${answerTimeoutMs} ms`, {
        code: 'POWER_TIMEOUT',
        part: 'power',
        phase: want,
      });
    } finally {
      rl.close();
    }
    this.last = want;
  }
}
