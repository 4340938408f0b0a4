// The boot path as an explicit state machine (the labgrid strategy model): to() walks the
// missing edges, force() adopts a state without acting, any error leaves the state 'unknown'
// (the next to() starts from power-off), and the first infrastructure failure latches.

import { isConsoleDeath } from '../console/death.ts';
import { isRigError } from '../core/errors.ts';
import { progress } from '../core/progress.ts';
import { attach, step } from '../core/step.ts';
import { formatEntry } from '../pxe/request-log.ts';
import type { BootBench } from './bench.ts';
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

export class BootStrategy {
  state: StrategyState = 'unknown';
  brokenBy?: Error;
  failedBy?: BootFailure;
  readonly record: BootRecord = emptyRecord();
  /** Set when this run flashed a build: decides who is to blame for a silent board. */
  onSilentFirmware?: (cause: Error) => Promise<never>;
  /** The edge being walked, named in hang reports. */
  private pendingStage = 'firmware';

  constructor(private readonly s: BootBench) {}

  /** Adopt a state without acting: an engineer's board that is already up. */
  force(state: BootState): void {
    this.state = state;
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
        this.state = 'unknown';
        // A lost lease ends every wait: report that cause, not the closed console it left.
        const e = this.s.lost ?? caught;
        if (this.s.lost) {
          this.brokenBy = this.s.lost;
          throw this.s.lost;
        }
        await this.s.dropDom0();
        if (isHang(e) || isConsoleDeath(e)) {
          this.record.hangs.push({
            stage: this.pendingStage,
            attempt,
            reason: (e as Error).message.split('\n')[0]!,
            lastLines: this.s.console.tail(15),
          });
          if (attempt < attempts) {
            progress.emit('warn', `boot attempt ${attempt} failed (${(e as Error).message.split('\n')[0]}); retrying`);
            continue;
          }
        }
        if (isHang(e) && this.pendingStage === 'firmware' && this.onSilentFirmware) {
          try {
            await this.onSilentFirmware(e as Error);
          } catch (verdict) {
            if (isBootFailure(verdict)) this.failedBy = verdict;
            else this.brokenBy = verdict as Error;
            this.state = 'unknown';
            throw verdict;
          }
        }
        if (isConsoleDeath(e)) {
          this.failedBy = new BootFailure(
            `board did not boot: ${(e as Error).message}`,
            this.pendingStage,
            this.s.console.tail(20),
            'BOARD_PANIC',
          );
          throw this.failedBy;
        }
        // Silence after the firmware spoke (power and console proved working this very boot),
        // on every attempt: the board hangs. The lab's is only a silence before any sign of life.
        if (isRigError(e, 'CONSOLE_SILENCE') && this.pendingStage !== 'firmware') {
          this.failedBy = new BootFailure(
            `board hung during ${this.pendingStage}: ${(e as Error).message.split('\n')[0]}`,
            this.pendingStage,
            this.s.console.tail(20),
            'BOOT_HANG',
          );
          throw this.failedBy;
        }
        if (isRigError(e)) this.brokenBy = e;
        throw e;
      }
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
      this.state = next;
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
    this.state = 'off';
  }
}
