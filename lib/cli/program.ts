import { Command, CommanderError } from 'commander';
import { RigError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';
import { toolInfo } from '../report/tool.ts';
import { commandModules } from './commands/index.ts';

function versionLine(): string {
  const t = toolInfo();
  return `${t.name} ${t.version}${t.commit ? ` (${t.commit.slice(0, 12)})` : ''}`;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('iommu-lab')
    .description('Validate coreboot IOMMU (AMD-Vi) support on PC Engines apu2 boards under Xen')
    .version(versionLine(), '-V, --version', 'print the version (and the commit of this checkout)')
    .exitOverride()
    // A mistyped flag gets one line and the hint, not the whole help.
    .showHelpAfterError('(run with --help for usage)');
  for (const load of commandModules) (await load()).register(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Returns the process exit code: 0 ok, 1 tests failed, 2 infrastructure or usage error. */
/** By name along the prototype chain: tsx may load an error class twice (ESM and CJS copies). */
function isKind(e: unknown, name: string): boolean {
  for (let p = e && Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p))
    if (p.constructor?.name === name) return true;
  return false;
}

export async function runCli(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  const program = await buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isKind(e, 'UsageError')) {
      console.error(`iommu-lab: ${redact((e as Error).message)}`);
      return 2;
    }
    if (e instanceof RigError || isKind(e, 'RigError')) {
      const r = e as RigError;
      // The lab is wrong: say what and where, with the board's last words; no stack.
      console.error(`iommu-lab: ${r.part} error (${r.code}): ${redact(r.message)}`);
      if (r.consoleTail) console.error(`last console lines:\n${redact(r.consoleTail)}`);
      return 2;
    }
    console.error(`iommu-lab: internal error: ${redact((e as Error)?.stack ?? String(e))}`);
    return 2;
  }
}
