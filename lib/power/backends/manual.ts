// "Power switch" for a board on a desk without one: asks the engineer at the terminal. In CI, or
// without a terminal, nobody would answer, so it refuses at once instead of hanging the run.
import { createInterface } from 'node:readline/promises';
import { z } from 'zod';
import { RigError } from '../../core/errors.ts';
import { ms } from '../../core/rig-fields.ts';
import { definePowerBackend } from '../backend.ts';
import type { PowerState } from '../types.ts';

export interface ManualIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** How long to wait for the engineer. */
  answerTimeoutMs: number;
}

export const manualSchema = z.strictObject({ kind: z.literal('manual'), minOffMs: ms.default(3000) });

export default definePowerBackend(manualSchema, (_cfg, deps) => {
  const description = 'manual power (the engineer switches the board)';
  const io: ManualIo = {
    input: process.stdin,
    output: process.stdout,
    env: process.env,
    answerTimeoutMs: 15 * 60_000,
    ...(deps.manualIo as Partial<ManualIo> | undefined),
  };
  /** What the engineer last confirmed; nothing else can know. */
  let last: PowerState = 'unknown';
  const ask = async (want: 'on' | 'off'): Promise<void> => {
    const why = io.env.CI === 'true' ? 'CI=true' : !io.input.isTTY ? 'stdin is not a terminal' : '';
    if (why)
      throw new RigError(
        `${description}: cannot ask anyone to switch the board ${want} (${why}); use a rig with a power switch`,
        {
          code: 'POWER_MANUAL_UNATTENDED',
          phase: want,
        },
      );
    const rl = createInterface({ input: io.input, output: io.output, terminal: false });
    try {
      await rl.question(`>>> Switch the board ${want.toUpperCase()} and press Enter `, {
        signal: AbortSignal.timeout(io.answerTimeoutMs),
      });
    } catch {
      throw new RigError(`${description}: nobody switched the board ${want} within ${io.answerTimeoutMs} ms`, {
        code: 'POWER_TIMEOUT',
        phase: want,
      });
    } finally {
      rl.close();
    }
    last = want;
  };
  return { description, set: (on) => ask(on ? 'on' : 'off'), get: async () => last };
});
