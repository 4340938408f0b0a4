// What every RemoteShell does around one command, whichever transport runs it: an Allure step
// with the output attached, and check() = run() that throws CommandError unless it succeeded.
import { CommandError, type CommandResult, succeeded } from '../core/result.ts';
import { attach, step } from '../core/step.ts';

export function recordedRun(
  name: string,
  params: Record<string, unknown>,
  exec: () => Promise<CommandResult>,
): Promise<CommandResult> {
  return step(name, params, async () => {
    const result = await exec();
    if (result.stdout) await attach('stdout', result.stdout);
    if (result.stderr) await attach('stderr', result.stderr);
    return result;
  });
}

export async function checked(run: Promise<CommandResult>, where: string): Promise<CommandResult> {
  const result = await run;
  if (!succeeded(result)) throw new CommandError(result, where);
  return result;
}
