// What a caller asks of a session (lib/session/session.ts): which parts at once, where the
// console's transcript goes, how long to queue for the lock, what to check once it is held.
import type { PartFactories } from './parts.ts';

export type EagerPart = 'power' | 'console';

export interface SessionOptions {
  /** Parts opened at once after the lock (power before console); the rest open on first use. */
  open: EagerPart[];
  /** Where the console transcript goes (needed with the console). */
  transcriptPath?: string;
  /** Sees every console chunk too (the interactive console). */
  consoleTap?: (chunk: Buffer) => void;
  /** Queue this long on a held bench (`--wait-lock`); 0 refuses a held bench at once. */
  waitLockMs?: number;
  /** Runs once the lock is held, before any part opens: a run's health gate. */
  afterLock?: () => Promise<void>;
  /** Serve the board's network boot (rig boot.server); default: when the console is opened. */
  serveBoot?: boolean;
  parts?: PartFactories;
}
