import { Command, CommanderError } from 'commander';
import { isRigError, isUsageError, rigErrorLine } from '../core/errors.ts';
import { EXIT, exitCodeOf, ownerOf } from '../core/exit-code.ts';
import { redact } from '../core/redact.ts';
import { toolInfo } from '../report/tool.ts';
import { commandModules } from './commands/index.ts';

function versionLine(): string {
  const t = toolInfo();
  return `${t.name} ${t.version}${t.commit ? ` (${t.commit.slice(0, 12)})` : ''}`;
}

/**
 * The command `argv` runs, when it names one before any option; null otherwise (no command, a
 * typo, `help`, or an option such as --help or -V first): then every command is loaded.
 */
export function commandOf(argv: readonly string[]): string | null {
  const first = argv[0];
  return first !== undefined && Object.hasOwn(commandModules, first) ? first : null;
}

/** The program with every command, or, given the argv of a run, only the command it runs. */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('iommu-lab')
    .description('Validate coreboot IOMMU (AMD-Vi) support on PC Engines apu2 boards under Xen')
    .version(versionLine(), '-V, --version', 'print the version (and the commit of this checkout)')
    .exitOverride()
    // A mistyped flag gets one line and the hint, not the whole help.
    .showHelpAfterError('(run with --help for usage)');
  const only = argv ? commandOf(argv) : null;
  const names = only ? [only] : Object.keys(commandModules);
  for (const name of names) (await commandModules[name]()).register(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** One line (a lab error adds the board's last words), never a stack unless iommu-lab itself failed. */
function report(e: unknown): void {
  if (isUsageError(e)) console.error(`iommu-lab: ${redact(e.message)}`);
  else if (isRigError(e)) {
    // The lab is wrong: say what and where, with the board's last words; no stack.
    console.error(`iommu-lab: ${rigErrorLine(e)}`);
    if (e.consoleTail) console.error(`last console lines:\n${redact(e.consoleTail)}`);
  } else if (ownerOf(e) === 'board') console.error(`iommu-lab: failed: ${redact((e as Error).message)}`);
  else console.error(`iommu-lab: internal error: ${redact((e as Error)?.stack ?? String(e))}`);
}

/** Returns the process exit code (lib/core/exit-code.ts): 0 ok, 1 the board failed, 2 the lab or usage. */
export async function runCli(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    report(e);
    return exitCodeOf(e);
  }
}
