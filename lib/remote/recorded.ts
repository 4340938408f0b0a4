// What every RemoteShell does around one command, whichever transport runs it: an Allure step
// with the output attached (JSON output as application/json), and check() = run() that throws
// CommandError unless it succeeded.
import { CommandError, type CommandResult, markRecorded, succeeded } from '../core/result.ts';
import { attach, recording, step } from '../core/step.ts';

function contentType(text: string): string {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return 'text/plain';
  try {
    JSON.parse(t);
    return 'application/json';
  } catch {
    return 'text/plain';
  }
}

export function recordedRun(
  name: string,
  params: Record<string, unknown>,
  exec: () => Promise<CommandResult>,
): Promise<CommandResult> {
  return step(name, params, async (self) => {
    const result = await exec();
    if (!recording()) return result;
    const how = result.timedOut
      ? 'timed out'
      : result.signal
        ? `killed by ${result.signal}`
        : `exit ${result.exitCode}`;
    await self.parameter('result', `${how} in ${result.durationMs} ms`);
    if (result.stdout) await attach('stdout', result.stdout, contentType(result.stdout));
    if (result.stderr) await attach('stderr', result.stderr);
    markRecorded(result);
    return result;
  });
}

export async function checked(run: Promise<CommandResult>, where: string): Promise<CommandResult> {
  const result = await run;
  if (!succeeded(result)) throw new CommandError(result, where);
  return result;
}
