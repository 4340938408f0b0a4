// Power through programs named in the rig (a PDU's CLI, `uhubctl`, a lab script), each an argv
// array run without a shell; the optional `state` program prints "on" or "off". The programs get
// a cleaned environment (lib/core/child-env.ts) and their own process group: close() (the
// teardown of Ctrl-C or SIGTERM) kills a program still running, and what it started.
import { z } from 'zod';
import { childEnv } from '../../core/child-env.ts';
import { isRigError, RigError } from '../../core/errors.ts';
import { exec } from '../../core/exec.ts';
import { printable } from '../../core/printable.ts';
import { MIN_SECRET_LENGTH, redact, registerSecret } from '../../core/redact.ts';
import { type CommandResult, lastLines } from '../../core/result.ts';
import { ENV_NAME, ms } from '../../core/rig-fields.ts';
import { definePowerBackend } from '../backend.ts';
import type { PowerState } from '../types.ts';

export const commandSchema = z.strictObject({
  kind: z.literal('command'),
  on: z.array(z.string()).min(1),
  off: z.array(z.string()).min(1),
  state: z.array(z.string()).min(1).optional(),
  /** Environment variables the programs get on top of PATH, HOME, LANG, LC_*, TZ (lib/core/child-env.ts). */
  env: z.array(z.string().regex(ENV_NAME, 'an environment variable name')).optional(),
  minOffMs: ms.default(3000),
  timeoutMs: ms.default(30_000),
});

export default definePowerBackend(commandSchema, (cfg) => {
  const description = `power command ${cfg.on[0]}`;
  const env = childEnv(cfg.env);
  // A variable the rig hands to its script may be a credential: mask it if the script prints it.
  for (const name of cfg.env ?? []) {
    const v = env[name];
    if (v && v.length >= MIN_SECRET_LENGTH && /pass|token|secret|key/i.test(name)) registerSecret(v);
  }
  const running = new Set<AbortController>();
  const run = async (phase: string, argv: string[]): Promise<CommandResult> => {
    const abort = new AbortController();
    running.add(abort);
    const fail = (why: string, code: 'POWER_COMMAND' | 'POWER_TIMEOUT' = 'POWER_COMMAND', tail = '') =>
      new RigError(redact(`${description}: \`${argv.join(' ')}\` ${why}${tail ? `\n${tail}` : ''}`), {
        code,
        part: 'power',
        phase,
      });
    const r = await exec(argv, { timeoutMs: cfg.timeoutMs, env, signal: abort.signal })
      .catch((e: unknown) => {
        if (isRigError(e, 'INTERRUPTED')) throw fail('was stopped (the command is shutting down)');
        if (isRigError(e, 'EXEC_SPAWN')) throw fail(`cannot be started: ${e.message}`);
        throw e;
      })
      .finally(() => running.delete(abort));
    if (r.timedOut) throw fail(`timed out after ${cfg.timeoutMs} ms`, 'POWER_TIMEOUT');
    if (r.exitCode !== 0)
      throw fail(
        `exited ${r.exitCode}`,
        'POWER_COMMAND',
        printable(lastLines(r.stderr || r.stdout, 5), { multiline: true, max: 1000 }),
      );
    return r;
  };
  const state = cfg.state;
  return {
    description,
    set: async (on) => void (await run(on ? 'on' : 'off', on ? cfg.on : cfg.off)),
    async get(): Promise<PowerState> {
      if (!state) return 'unknown';
      const r = await run('state', state);
      const word = r.stdout.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      if (['on', '1', 'true'].includes(word)) return 'on';
      if (['off', '0', 'false'].includes(word)) return 'off';
      throw new RigError(
        redact(`${description}: state command printed "${printable(r.stdout, { max: 80 })}", expected "on" or "off"`),
        { code: 'POWER_BAD_REPLY', phase: 'state' },
      );
    },
    async close() {
      for (const c of running) c.abort();
    },
  };
});
