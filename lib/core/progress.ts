// A process-wide event bus for what the user should see happening: stage changes, steps,
// long-work progress. The CLI renders it (a live line in a TTY, plain lines in CI).
import { EventEmitter } from 'node:events';

export interface ProgressEvents {
  stage: [name: string];
  step: [name: string];
  /** Long work: done/total in bytes or units; total 0 when unknown. */
  work: [label: string, done: number, total: number];
  info: [message: string];
  warn: [message: string];
}

export const progress = new EventEmitter<ProgressEvents>();
