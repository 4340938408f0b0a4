// One `iommu-lab run` on the twin through the CLI, with a fault injected when the run's output
// shows a given line (a stage line `== dom0`, a suite's title), and what the fault matrix checks
// afterwards: board power (asked of the twin's RTE through the CLI), the lock, the transcript.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { transcriptBody } from '../../lib/console/transcript.ts';
import { DEFAULT_LOCK_DIR } from '../../lib/lock/local.ts';
import { twinBenchName, twinPaths } from '../../twin/base/paths.ts';

export const root = resolve(import.meta.dirname, '../..');
export const lockFile = join(DEFAULT_LOCK_DIR, `${twinBenchName}.lock`);
const recordDir = join(twinPaths.run, 'serial-sent');

/**
 * The twin rig with short timeouts and no retries, so one faulted run costs about a minute.
 * `dom0Args` adds to dom0's kernel command line: a fault the dom0 has from its first instant
 * (e.g. `module_blacklist=xen_pciback`), where injecting it over SSH would race the run.
 */
export function fastRig(variant?: { name: string; dom0Args: string }): string {
  const dir = join(root, '.cache', 'test-rigs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `apu2-twin-faults${variant ? `-${variant.name}` : ''}.ts`);
  const server = variant
    ? `\n    server: { ...twin.boot.server, dom0CommandLine: \`\${twin.boot.server.dom0CommandLine} ${variant.dom0Args}\` },`
    : '';
  writeFileSync(
    file,
    `import twin from ${JSON.stringify(join(root, 'rigs/apu2-twin.ts'))};
// The fault matrix's twin (test/twin/fault-matrix.test.ts): the same bench (and lock), short waits.
export default {
  ...twin,
  power: { ...twin.power, timeoutMs: 2000 },
  boot: {
    ...twin.boot,
    retries: 0,
    timeoutsMs: { firmware: 20_000, ipxe: 60_000, xen: 90_000, dom0: 150_000 },
    silenceMs: 30_000,${server}
  },
  lock: { ...twin.lock, ttlMs: 3000 },
  // A guest that never boots is given up on sooner (a PV guest answers in 20-35 s on the twin).
  guests: { ...twin.guests, bootTimeoutMs: 60_000 },
};
`,
  );
  return file;
}

export function cli(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/iommu-lab.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

export interface Trigger {
  /** A line of the run's output (stdout or stderr) that arms the fault. */
  on: RegExp;
  afterMs?: number;
  act: (pid: number) => Promise<unknown> | unknown;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  triggeredAt?: number;
  startedAt: number;
  endedAt: number;
}

/** Runs `iommu-lab run <args>`; fires the trigger once, at its line. */
export function runWithFault(args: string[], trigger?: Trigger, limitMs = 6 * 60_000): Promise<RunResult> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [join(root, 'bin/iommu-lab.js'), 'run', ...args], {
    cwd: root,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let fired: Promise<unknown> | undefined;
  let triggeredAt: number | undefined;
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const seen = (d: Buffer) => {
    out += d.toString('utf8');
    if (trigger && !fired && trigger.on.test(out)) {
      fired = new Promise((r) => setTimeout(r, trigger.afterMs ?? 0))
        .then(() => {
          triggeredAt = Date.now();
          return trigger.act(child.pid!);
        })
        .catch((e) => {
          out += `\n[fault-matrix] the fault could not be injected: ${(e as Error).message}\n`;
        });
    }
  };
  child.stdout.on('data', seen);
  child.stderr.on('data', seen);
  return new Promise((resolvePromise) => {
    child.on('close', async (code, signal) => {
      clearTimeout(killer);
      await fired;
      resolvePromise({ code, signal, out, triggeredAt, startedAt, endedAt: Date.now() });
    });
  });
}

/** The relay as the twin's RTE reports it, through `iommu-lab power status`. */
export function boardPower(): 'on' | 'off' | 'unknown' {
  const r = cli('power', 'status');
  const m = /\b(on|off)\b/.exec(r.out.split('\n').find((l) => /power|relay|board/i.test(l)) ?? r.out);
  return r.code === 0 && m ? (m[1] as 'on' | 'off') : 'unknown';
}

/** What the twin's serial port handed each client between `from` and `to` (ms), in order. */
export function sentBetween(from: number, to: number): Buffer[] {
  if (!existsSync(recordDir)) return [];
  return readdirSync(recordDir)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .filter((f) => {
      const t = Number(f.split('-')[0]);
      return t >= from && t <= to;
    })
    .map((f) => readFileSync(join(recordDir, f)));
}

/**
 * Every byte the twin sent the run is in its console.log, in order: each connection's bytes as
 * one unbroken block (the transcript may hold a little more, e.g. a header). Returns why not.
 */
export function transcriptGap(transcriptPath: string, sent: Buffer[]): string | undefined {
  if (!sent.length) return 'the twin recorded no serial connection of the run';
  if (!existsSync(transcriptPath)) return `no ${transcriptPath}`;
  const body = transcriptBody(readFileSync(transcriptPath));
  let at = 0;
  for (const [i, block] of sent.entries()) {
    const found = body.indexOf(block, at);
    if (found < 0) {
      // Say where it breaks: the longest prefix of the block that is there.
      let lo = 0;
      let hi = block.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (body.indexOf(block.subarray(0, mid), at) >= 0) lo = mid;
        else hi = mid - 1;
      }
      return `connection ${i + 1}: ${block.length} bytes sent, console.log holds only the first ${lo} of them in one piece`;
    }
    at = found + block.length;
  }
  return undefined;
}

export const lockHeld = (): boolean => existsSync(lockFile);
