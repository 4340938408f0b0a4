// Waiting for something by trying again (dom0 SSH while it boots, a guest's SSH) is ONE step in
// the report — "wait for dom0 SSH: 9 tries, 17 s" — not a row of broken sub-steps: a refused try
// is the expected state of a board that is still booting, not an error. The tries run quietly
// (shown on the live line, left out of the report); what each try met is attached as text.
import { redact } from './redact.ts';
import { attach, quietly, step } from './step.ts';

export class Tries {
  count = 0;
  private readonly t0 = performance.now();
  private readonly log: string[] = [];

  /** Counts one try; returns its number. */
  next(): number {
    return ++this.count;
  }

  /** What the current try met ("connect ECONNREFUSED"): kept for the report, not thrown. */
  refused(reason: string): void {
    const at = ((performance.now() - this.t0) / 1000).toFixed(1);
    this.log.push(`try ${this.count} at ${at} s: ${redact(reason.split('\n')[0] ?? '')}`);
  }

  summary(): string {
    const s = (performance.now() - this.t0) / 1000;
    return `${this.count} ${this.count === 1 ? 'try' : 'tries'}, ${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`;
  }

  get refusals(): readonly string[] {
    return this.log;
  }
}

/**
 * One step named `name`, renamed "name: N tries, S s" when it ends; the steps and attachments
 * of body's tries are left out. A throw from body (the deadline passed) fails the step with it.
 */
export function poll<T>(name: string, params: Record<string, unknown>, body: (tries: Tries) => Promise<T>): Promise<T> {
  const tries = new Tries();
  return step(name, params, async (self) => {
    try {
      return await quietly(() => body(tries));
    } finally {
      await self.rename(`${name}: ${tries.summary()}`);
      if (tries.refusals.length) await attach('tries', tries.refusals.join('\n'));
    }
  });
}
