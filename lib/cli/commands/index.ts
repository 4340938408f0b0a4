// Every subcommand lives in its own file and exports register(program). Add one line per command.
import type { Command } from 'commander';

type Register = (program: Command) => void;

export const commandModules: (() => Promise<{ register: Register }>)[] = [
  // e.g. () => import('./analyze.ts'),
];
