import { Command, CommanderError } from 'commander';
import { RigError, UsageError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';
import { commandModules } from './commands/index.ts';

export async function buildProgram(): Promise<Command> {
  const program = new Command('iommu-lab')
    .description('Validate coreboot IOMMU (AMD-Vi) support on PC Engines apu2 boards under Xen')
    .exitOverride()
    .showHelpAfterError();
  for (const load of commandModules) (await load()).register(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Returns the process exit code: 0 ok, 1 tests failed, 2 infrastructure or usage error. */
export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      console.error(`iommu-lab: ${redact(e.message)}`);
      return 2;
    }
    if (e instanceof RigError) {
      // The lab is wrong: say what and where, with the board's last words; no stack.
      console.error(`iommu-lab: ${e.part} error (${e.code}): ${redact(e.message)}`);
      if (e.consoleTail) console.error(`last console lines:\n${redact(e.consoleTail)}`);
      return 2;
    }
    console.error(`iommu-lab: internal error: ${redact((e as Error)?.stack ?? String(e))}`);
    return 2;
  }
}
