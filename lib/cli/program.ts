import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/errors.ts';
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
      console.error(`iommu-lab: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
