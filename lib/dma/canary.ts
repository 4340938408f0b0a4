// dom0's canary page, held by dom0-canary in the background: a fifo writer keeps its stdin open
// until release(), so the page stays put while the guest's device is aimed at it. Commands run
// through the ordinary remote shell; nothing is left running after release().
import type { OutsideView } from '../bench/provider.ts';
import { shq } from '../core/quote.ts';
import { attach } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import type { RemoteShell } from '../remote/types.ts';
import { firstChangeInPage } from './bytes.ts';
import {
  type CanaryOutput,
  type CanaryReady,
  type CanaryReleased,
  type OutsideAccount,
  parseCanaryOutput,
} from './canary-report.ts';
import { canaryCommand } from './commands.ts';
import { REMOTE_HELPER_DIR } from './install.ts';

/** Where the canary keeps its fifo, pids and output on dom0 (a test gives its own: #24 T2). */
export const CANARY_DIR = `${REMOTE_HELPER_DIR}/canary`;

export class Dom0Canary {
  private constructor(
    private readonly dom0: RemoteShell,
    readonly ready: CanaryReady,
    private readonly dir: string,
  ) {}

  /** Starts the canary and waits for its first line (the page's machine address). */
  static async hold(dom0: RemoteShell, binary: string, waitMs = 20_000, dir = CANARY_DIR): Promise<Dom0Canary> {
    const DIR = dir;
    const f = (n: string) => shq(`${DIR}/${n}`);
    await dom0.check(
      [
        `rm -rf ${shq(DIR)} && mkdir -p ${shq(DIR)} && mkfifo ${f('in')}`,
        // The writer holds the fifo open: the canary sees EOF (and reports) only when it is killed.
        `nohup sh -c ${shq(`exec sleep 86400 > ${DIR}/in`)} </dev/null >/dev/null 2>&1 & echo $! > ${f('holder.pid')}`,
        // Its own process group (setsid), so stopping it also stops anything it started.
        `nohup setsid ${canaryCommand(binary)} < ${f('in')} > ${f('out')} 2>${f('err')} & echo $! > ${f('canary.pid')}`,
      ].join('; '),
      { timeoutMs: 20_000 },
    );
    const deadline = Date.now() + waitMs;
    let out: CanaryOutput = parseCanaryOutput('');
    while (Date.now() < deadline) {
      out = await Dom0Canary.read(dom0, dir);
      if (out.ready || (out.error && out.error !== 'dom0-canary printed no report')) break;
      await sleep(300);
    }
    if (!out.ready) {
      await Dom0Canary.stop(dom0, dir);
      const err = (await dom0.run(`cat ${f('err')} 2>/dev/null`, { timeoutMs: 10_000 })).stdout.trim();
      throw new Error(`dom0-canary did not hold a page: ${out.error}${err ? ` (${err.split('\n').pop()})` : ''}`);
    }
    return new Dom0Canary(dom0, out.ready, dir);
  }

  private static async read(dom0: RemoteShell, dir: string): Promise<CanaryOutput> {
    return parseCanaryOutput((await dom0.run(`cat ${shq(`${dir}/out`)} 2>/dev/null`, { timeoutMs: 10_000 })).stdout);
  }

  /** Kills the holder and the canary (idempotent). */
  private static async stop(dom0: RemoteShell, dir: string): Promise<void> {
    const DIR = shq(dir);
    await dom0.run(
      `for p in holder canary; do [ -s ${DIR}/$p.pid ] && { kill -- "-$(cat ${DIR}/$p.pid)" || kill "$(cat ${DIR}/$p.pid)"; } 2>/dev/null; done; true`,
      { timeoutMs: 10_000 },
    );
  }

  /** Closes the canary's stdin and returns what it said about its page; the process is gone after. */
  async release(waitMs = 10_000): Promise<{ output: CanaryOutput; raw: string }> {
    const f = (n: string) => shq(`${this.dir}/${n}`);
    await this.dom0.run(`[ -s ${f('holder.pid')} ] && kill "$(cat ${f('holder.pid')})" 2>/dev/null; true`, {
      timeoutMs: 10_000,
    });
    const deadline = Date.now() + waitMs;
    let out = await Dom0Canary.read(this.dom0, this.dir);
    while (!out.released && Date.now() < deadline) {
      await sleep(300);
      out = await Dom0Canary.read(this.dom0, this.dir);
    }
    await Dom0Canary.stop(this.dom0, this.dir);
    const raw = (await this.dom0.run(`cat ${f('out')} ${f('err')} 2>/dev/null`, { timeoutMs: 10_000 })).stdout;
    return { output: out, raw };
  }
}

/** Reads the held page from outside the board and compares it with its pattern. */
async function lookFromOutside(view: OutsideView, ready: CanaryReady): Promise<OutsideAccount> {
  const observer = view.observer;
  try {
    const page = await view.readMachineMemory(BigInt(ready.machineAddress), ready.pageSize);
    await attach(`${observer}'s view of machine address ${ready.machineAddress}`, page.toString('hex'));
    const firstChange = firstChangeInPage(page, ready.pattern);
    return { observer, firstChange, intact: firstChange === null };
  } catch (e) {
    return { observer, firstChange: null, intact: null, error: (e as Error).message };
  }
}

/**
 * One canary session, as every context runs it: the page held and its address attached, the body
 * aimed at it, the page looked at from outside the board when the bench can (before it is let
 * go), the canary released however the body ends and its own account attached. released is null
 * when the canary did not report (the verdict makes that broken, never a pass).
 */
export async function withCanary<T>(
  dom0: RemoteShell,
  binary: string,
  body: (ready: CanaryReady) => Promise<T>,
  outsideView?: OutsideView,
  dir = CANARY_DIR,
): Promise<{ value: T; ready: CanaryReady; released: CanaryReleased | null; outside: OutsideAccount | null }> {
  const canary = await Dom0Canary.hold(dom0, binary, undefined, dir);
  await attach('dom0 canary', JSON.stringify(canary.ready, null, 2), 'application/json');
  const settle = async (): Promise<CanaryReleased | null> => {
    const r = await canary.release().catch(() => undefined);
    if (r) await attach('dom0 canary output', r.raw);
    return r?.output.released ?? null;
  };
  let value: T;
  let outside: OutsideAccount | null = null;
  try {
    value = await body(canary.ready);
    if (outsideView) outside = await lookFromOutside(outsideView, canary.ready);
  } catch (e) {
    await settle();
    throw e;
  }
  return { value, ready: canary.ready, released: await settle(), outside };
}
