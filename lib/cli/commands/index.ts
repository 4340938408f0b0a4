// Every subcommand lives in its own file and exports register(program). Add one line per command.
import type { Command } from 'commander';

type Register = (program: Command) => void;

export const commandModules: (() => Promise<{ register: Register }>)[] = [
  () => import('./run.ts'),
  () => import('./rigs.ts'),
  () => import('./power.ts'),
  () => import('./report.ts'),
  () => import('./console.ts'),
  () => import('./twin.ts'),
  () => import('./analyze.ts'),
  () => import('./flash.ts'),
  () => import('./results.ts'),
  () => import('./health.ts'),
  () => import('./bisect.ts'),
  () => import('./pxe.ts'),
];
