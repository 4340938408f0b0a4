// Every subcommand lives in its own file and exports register(program). Add one line per command,
// under the name it registers: the CLI loads only the module of the command being run (loading all
// of them costs ~56 MB before `analyze` reads a byte), and all of them for --help and usage errors.
import type { Command } from 'commander';

type Register = (program: Command) => void;
type Load = () => Promise<{ register: Register }>;

export const commandModules: Readonly<Record<string, Load>> = {
  run: () => import('./run.ts'),
  rigs: () => import('./rigs.ts'),
  power: () => import('./power.ts'),
  report: () => import('./report.ts'),
  console: () => import('./console.ts'),
  twin: () => import('./twin.ts'),
  analyze: () => import('./analyze.ts'),
  flash: () => import('./flash.ts'),
  results: () => import('./results.ts'),
  health: () => import('./health.ts'),
  bisect: () => import('./bisect.ts'),
  pxe: () => import('./pxe.ts'),
};
