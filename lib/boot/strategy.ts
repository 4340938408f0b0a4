// The boot path as an explicit state machine (the labgrid strategy model): to() walks the
// missing edges, force() adopts a state without acting, any error leaves the state 'unknown'
// (the next to() starts from power-off), and the first infrastructure failure latches.

import { isConsoleDeath } from '../console/death.ts';
import { progress } from '../core/progress.ts';
import { attach, step } from '../core/step.ts';
import { formatEntry } from '../pxe/request-log.ts';
import type { BootBench } from './bench.ts';
import { classify } from './classify.ts';
import { BenchBroken, BootFailure, isBootFailure, isHang } from './errors.ts';
import { type BootRecord, emptyRecord } from './record.ts';
import { BOOT_STATES, type BootState, type StrategyState, stateIndex } from './states.ts';
import { loadXen, networkBoot, powerOn, waitDom0 } from './transitions.ts';

type Edge = (s: BootBench, rec: BootRecord) => Promise<void>;
const EDGES: Record<Exclude<BootState, 'off'>, Edge> = {
  firmware: powerOn,
  ipxe: networkBoot,
  xen: loadXen,
  dom0: waitDom0,
};

export interface StrategyOptions {
  /**
   * Given when this run flashed a build: a board silent from power-on is then judged by writing
   * the known-good image back (lib/run/flash-for-run.ts) — the build's fault, or the bench's.
   */
  onSilentFirmware?: (cause: Error) => Promise<never>;
}

export class BootStrategy {
  private current: StrategyState = 'unknown';
  brokenBy?: Error;
  failedBy?: BootFailure;
  readonly record: BootRecord = emptyRecord();
  /** The edge being walked, named in hang reports. */
  private pendingStage = 'firmware';

  constructor(
    private readonly s: BootBench,
    private readonly opts: StrategyOptions = {},
  ) {}

  get state(): StrategyState {
    return this.current;
  }

  /** The board is not where the boot left it (it locked up under a test): the next to() starts from power-off. */
  invalidate(): void {
    this.current = 'unknown';
  }

  /** Adopt a state without acting: an engineer's board that is already up. */
  force(state: BootState): void {
    this.current = state;
    this.record.assumed = true;
    progress.emit('info', `assuming the board is at "${state}" (nothing was done to it)`);
  }

  async to(target: BootState): Promise<void> {
    if (this.brokenBy) throw new BenchBroken(this.brokenBy);
    if (this.failedBy) throw this.failedBy;
    if (this.state === target) return;
    if (target === 'off') return this.powerOff();
    const attempts = this.s.rig.boot.retries + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.walk(target, attempt);
        return;
      } catch (caught) {
        this.current = 'unknown';
        // A lost lease ends every wait: report that cause, not the closed console it left.
        const lost = this.s.lost;
        const e = lost ?? caught;
        if (!lost) await this.s.dropDom0();
        const why = (e as Error).message?.split('\n')[0] ?? String(e);
        if (!lost && (isHang(e) || isConsoleDeath(e)))
          this.record.hangs.push({
            stage: this.pendingStage,
            attempt,
            reason: why,
            lastLines: this.s.console.tail(15),
          });
        const v = classify(e, {
          stage: this.pendingStage,
          attempt,
          attempts,
          canRecover: Boolean(this.opts.onSilentFirmware),
          lost: Boolean(lost),
        });
        if (v.kind === 'retry') {
          progress.emit('warn', `boot attempt ${attempt} failed (${why}); retrying`);
          continue;
        }
        if (v.kind === 'recover') await this.recover(e as Error);
        if (v.kind === 'board') {
          const message =
            v.code === 'BOARD_PANIC'
              ? `board did not boot: ${(e as Error).message}`
              : `board hung during ${this.pendingStage}: ${why}`;
          this.failedBy = new BootFailure(message, this.pendingStage, this.s.console.tail(20), v.code);
          throw this.failedBy;
        }
        if (v.kind === 'lab') this.brokenBy = e as Error;
        throw e;
      }
    }
  }

  /** The known-good image decides who kept the board silent; its verdict latches either way. */
  private async recover(cause: Error): Promise<never> {
    try {
      return await this.opts.onSilentFirmware!(cause);
    } catch (verdict) {
      if (isBootFailure(verdict)) this.failedBy = verdict;
      else this.brokenBy = verdict as Error;
      this.current = 'unknown';
      throw verdict;
    }
  }

  private async walk(target: BootState, attempt: number): Promise<void> {
    if (this.state === 'unknown' || stateIndex(this.state) > stateIndex(target)) await this.powerOff();
    for (let i = stateIndex(this.state as BootState) + 1; i <= stateIndex(target); i++) {
      const next = BOOT_STATES[i] as Exclude<BootState, 'off'>;
      this.pendingStage = next;
      progress.emit('stage', next);
      const t0 = performance.now();
      await step(`boot: ${this.state} → ${next}`, { attempt }, () => EDGES[next](this.s, this.record));
      const ms = Math.round(performance.now() - t0);
      this.record.timings.push({ stage: next, ms, attempt });
      this.current = next;
    }
    await attach('boot timings', JSON.stringify(this.record.timings, null, 2), 'application/json');
    // What the board fetched from iommu-lab's own boot server, request by request.
    const served = this.s.bootServer?.log.entries;
    if (served?.length) await attach('boot server requests', served.map(formatEntry).join('\n'));
  }

  private async powerOff(): Promise<void> {
    await step('power off board', {}, async () => {
      await this.s.dropDom0();
      await this.s.power.off();
      await new Promise((r) => setTimeout(r, this.s.rig.power.minOffMs));
    });
    this.current = 'off';
  }
}
