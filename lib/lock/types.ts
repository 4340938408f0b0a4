export interface BenchLock {
  readonly description: string;
  /** Takes the lease or throws RigError('LOCK_HELD') naming the holder. Takes over an expired lease. */
  acquire(): Promise<void>;
  /** Idempotent. */
  release(): Promise<void>;
  /** Called once if the lease is lost while held: its owner must stop driving the bench. */
  onLost?(handler: (why: string) => void): void;
}
