// The fault matrix: each row is a real `iommu-lab run` on the twin (through the CLI) with one
// fault injected at its moment — by the twin's fault injector (twin/fault/) or by this test
// (signals, a full disk, a stolen lease). Each row asserts what a bench user relies on: whose
// problem it is (exit 1 the board's, 2 the lab's, 128+n a signal), the code and part named in
// one line and no stack on the console, the board off, the lock released, and every byte the
// twin's serial port sent the run in its console.log. Prints the matrix at the end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { twinDown, twinStatus } from '../../twin/daemon/manage.ts';
import { injectFault } from '../../twin/fault/client.ts';
import type { FaultName, FaultOptions } from '../../twin/fault/faults.ts';
import { holdTwinBench } from '../../twin/tools/bench-lock.ts';
import {
  boardPower,
  cli,
  fastRig,
  lockFile,
  lockHeld,
  type RunResult,
  runWithFault,
  sentBetween,
  type Trigger,
  transcriptGap,
} from './fault-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'fault-matrix-'));
const STAGE = (s: string) => new RegExp(`== ${s}\\n`);
/** The spec reporter prints a suite's title when the suite starts, after the boot. */
const SUITE = (s: string) => new RegExp(`^\\s+${s}\\s*$`, 'm');
/** A V8 stack frame: "    at fn (/path/file.ts:12:5)" or "    at /path/file.ts:12:5". */
const STACK_FRAME = /^\s+at (?:.+ \()?[^\s()]+:\d+:\d+\)?$/m;
const fault = (name: FaultName, o?: FaultOptions) => () => injectFault(name, o);
const signal = (sig: NodeJS.Signals) => (pid: number) => process.kill(pid, sig);

interface Row {
  fault: string;
  suites: string[];
  extra?: string[];
  /** Added to dom0's kernel command line (a fault dom0 has from boot, so no race with the run). */
  dom0Args?: string;
  /** Before the run (the board switched on, a fault armed, a disk mounted). */
  setup?: () => void | Promise<void>;
  trigger?: Trigger;
  exit: number;
  /** The one line naming it: "<part> error|failure (<CODE>)". */
  code: string;
  part: string;
  /** Also said on the console (e.g. the diagnosis behind a code). */
  mentions?: RegExp;
  /** Off after the run; a lost lease leaves the board to its new holder; 'gone' with the bench. */
  boardOff?: boolean | 'gone';
  /** The run must end within this many seconds of the fault (a lost bench is noticed in seconds). */
  endsWithinS?: number;
  /** 'kept': the record is another holder's, and must survive the run. */
  lock?: 'free' | 'kept';
  /** The disk was full: nothing more could be kept. */
  transcript?: boolean;
  cleanup?: () => void | Promise<void>;
}

/** Another holder's lease, on a live pid (this test's): the run must give the bench up to it. */
function stealLease(): void {
  const rec = JSON.parse(readFileSync(lockFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    lockFile,
    JSON.stringify({
      ...rec,
      token: 'fault-matrix',
      owner: 'the fault matrix (stolen lease)',
      pid: process.pid,
      startTicks: '',
    }),
  );
}

/** The whole bench at once: the twin daemon's process group (power API, serial server, QEMU, sshd). */
function benchGroup(): number {
  const pid = twinStatus().pid;
  if (!pid) throw new Error('the twin is not running');
  return pid;
}
/** A power cut on the bench: everything gone, every socket closed. */
function killBench(): void {
  process.kill(-benchGroup(), 'SIGKILL');
}
let frozen: number | undefined;
/** A frozen bench: every process stopped, every socket left open (nothing closes, nothing answers). */
function freezeBench(): void {
  frozen = benchGroup();
  process.kill(-frozen, 'SIGSTOP');
}
async function thawAndStopBench(): Promise<void> {
  if (frozen) process.kill(-frozen, 'SIGCONT');
  frozen = undefined;
  await twinDown();
}

let tmpfs: string | undefined;
function fullDisk(): void {
  tmpfs = join(dir, 'tiny');
  mkdirSync(tmpfs, { recursive: true });
  // Two pages: the transcript fills it while iPXE loads Xen (a boot to dom0 prints ~11 KB).
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', tmpfs], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount tmpfs: ${r.stderr}`);
}
function unmount(): void {
  if (tmpfs) spawnSync('umount', [tmpfs]);
  tmpfs = undefined;
}

/** Where a signal strikes: a stage of the boot, or a suite under way. */
interface SignalStage {
  where: string;
  trigger: Omit<Trigger, 'act'>;
  suites: string[];
  extra?: string[];
}

const SIGNAL_STAGES: SignalStage[] = [
  { where: 'at firmware', trigger: { on: STAGE('firmware'), afterMs: 500 }, suites: ['firmware'] },
  { where: 'at xen', trigger: { on: STAGE('xen'), afterMs: 1000 }, suites: ['firmware'] },
  { where: 'at dom0', trigger: { on: STAGE('dom0'), afterMs: 5000 }, suites: ['firmware'] },
  {
    where: 'in a suite',
    trigger: { on: SUITE('device-assignment'), afterMs: 1000 },
    suites: ['device-assignment'],
    extra: ['--guests', 'pv'],
  },
];

/** A run stopped by `sig`: exit 128+n, INTERRUPTED, and the bench left as after any other end. */
function interrupted(sig: 'SIGINT' | 'SIGTERM', at: SignalStage): Row {
  return {
    fault: `${sig} ${at.where}`,
    suites: at.suites,
    extra: at.extra,
    trigger: { ...at.trigger, act: signal(sig) },
    exit: sig === 'SIGINT' ? 130 : 143,
    code: 'INTERRUPTED',
    part: 'session',
  };
}

const rows: Row[] = [
  {
    fault: 'power API answers 500',
    suites: ['firmware'],
    // On, so "board off afterwards" proves the teardown switched it off once the API healed.
    setup: async () => {
      assert.equal(cli('power', 'on').code, 0);
      await injectFault('power-500', { count: 3 });
    },
    exit: 2,
    code: 'POWER_HTTP',
    part: 'power',
  },
  {
    fault: 'power API hangs',
    suites: ['firmware'],
    setup: async () => {
      assert.equal(cli('power', 'on').code, 0);
      await injectFault('power-hang', { count: 3 });
    },
    exit: 2,
    code: 'POWER_TIMEOUT',
    part: 'power',
  },
  {
    fault: 'serial dropped mid-boot (xen)',
    suites: ['firmware'],
    trigger: { on: STAGE('xen'), afterMs: 1000, act: fault('serial-drop') },
    exit: 2,
    code: 'CONSOLE_LOST',
    part: 'console',
  },
  {
    fault: 'serial taken over (dom0 boot)',
    suites: ['firmware'],
    trigger: { on: STAGE('dom0'), afterMs: 3000, act: fault('serial-takeover', { holdMs: 5000 }) },
    exit: 2,
    code: 'CONSOLE_TAKEN_OVER',
    part: 'console',
  },
  {
    fault: 'boot hang (QMP stop, dom0 boot)',
    suites: ['firmware'],
    trigger: { on: STAGE('dom0'), afterMs: 3000, act: fault('boot-hang') },
    exit: 1,
    code: 'BOOT_HANG',
    part: 'boot',
  },
  {
    fault: 'dom0 SSH dropped mid-suite',
    suites: ['device-assignment'],
    extra: ['--guests', 'pv'],
    trigger: { on: SUITE('device-assignment'), afterMs: 1000, act: fault('ssh-drop') },
    exit: 2,
    code: 'SSH_',
    part: 'remote',
  },
  {
    fault: 'panic mid-suite (dom0 kernel)',
    suites: ['device-assignment'],
    extra: ['--guests', 'pv'],
    trigger: { on: SUITE('device-assignment'), afterMs: 1000, act: fault('panic') },
    exit: 1,
    code: 'BOARD_PANIC',
    part: 'xen',
  },
  {
    // From boot, not injected over SSH once dom0 answers: that raced the suite's own modprobe
    // (CI once saw pciback seize the NIC and the fault's rmmod pull it away mid-check).
    fault: 'pciback cannot seize the NIC',
    suites: ['device-assignment'],
    extra: ['--guests', 'pv'],
    dom0Args: 'module_blacklist=xen_pciback',
    exit: 2,
    code: 'COMMAND_FAILED',
    part: 'dom0',
    mentions: /diagnosis PCIBACK_NOT_LOADED/,
  },
  {
    fault: 'guest never boots (paused once created)',
    suites: ['device-assignment'],
    extra: ['--guests', 'pv'],
    trigger: { on: STAGE('dom0'), act: fault('guest-hang', { waitMs: 240_000 }) },
    exit: 1,
    code: 'GUEST_NO_ANSWER',
    part: 'guest',
    mentions: /xl list: paused/,
  },
  {
    // Issue #24 T1: the whole bench killed while the HVM guest boots (no console, no dom0, no power API).
    fault: 'bench killed while a guest boots',
    suites: ['device-assignment'],
    extra: ['--guests', 'hvm'],
    trigger: { on: /loads xen-pciback/, afterMs: 8000, act: killBench },
    exit: 2,
    code: '',
    part: '(console|remote|dom0|power|session)',
    mentions: /BROKEN on rig/,
    boardOff: 'gone',
    endsWithinS: 60,
  },
  {
    // The bench frozen while the HVM guest boots: processes stopped, sockets open.
    fault: 'bench frozen while a guest boots',
    suites: ['device-assignment'],
    extra: ['--guests', 'hvm'],
    trigger: { on: /loads xen-pciback/, afterMs: 8000, act: freezeBench },
    exit: 2,
    code: '',
    part: '(console|remote|dom0|power|session)',
    boardOff: 'gone',
    endsWithinS: 120,
    cleanup: thawAndStopBench,
  },
  {
    fault: 'report dir disk full',
    suites: ['firmware'],
    setup: fullDisk,
    exit: 2,
    code: 'REPORT_WRITE',
    part: 'host',
    transcript: false,
    cleanup: unmount,
  },
  // Each signal at each stage: one shutdown path serves both, and it must hold everywhere.
  ...SIGNAL_STAGES.map((at, i) => interrupted(i % 2 ? 'SIGTERM' : 'SIGINT', at)),
  ...SIGNAL_STAGES.map((at, i) => interrupted(i % 2 ? 'SIGINT' : 'SIGTERM', at)),
  {
    fault: 'lease lost (dom0 boot)',
    suites: ['firmware'],
    trigger: { on: STAGE('dom0'), afterMs: 2000, act: stealLease },
    exit: 2,
    code: 'LOCK_LOST',
    part: 'lock',
    boardOff: false,
    lock: 'kept',
  },
];

const only = process.env.FAULT_MATRIX_ONLY ? new RegExp(process.env.FAULT_MATRIX_ONLY, 'i') : undefined;

interface Measured {
  fault: string;
  exit: string;
  code: string;
  boardOff: string;
  lockFree: string;
  transcript: string;
  seconds: number;
}
const matrix: Measured[] = [];

describe('fault matrix on the twin (iommu-lab run through the CLI)', function () {
  this.timeout(10 * 60_000);
  const rig = fastRig();

  before(async () => {
    // The injector belongs to this checkout's twin daemon: restart one started by older code.
    // Waits for the bench first, so a run on it is never pulled from under its user.
    const lock = await holdTwinBench();
    try {
      if (twinStatus().running) {
        const answers = await injectFault('clear').then(
          () => true,
          () => false,
        );
        if (!answers) await twinDown();
      }
    } finally {
      await lock.release();
    }
  });

  afterEach(async () => {
    await injectFault('clear').catch(() => {});
  });

  after(() => {
    unmount();
    printMatrix(matrix);
  });

  for (const row of rows) {
    const test = only && !only.test(row.fault) ? it.skip : it;
    test(`${row.fault} → exit ${row.exit}, ${row.code}`, async () => {
      const reportDir = () => join(tmpfs ?? dir, row.fault.replace(/\W+/g, '-'));
      let r: RunResult | undefined;
      try {
        await row.setup?.();
        const rep = reportDir();
        r = await runWithFault(
          [
            '--rig',
            row.dom0Args ? fastRig({ name: row.fault.replace(/\W+/g, '-'), dom0Args: row.dom0Args }) : rig,
            '--suite',
            ...row.suites,
            ...(row.extra ?? []),
            '--report-dir',
            rep,
          ],
          row.trigger,
        );
        const heldAfter = lockHeld();
        const holder = heldAfter ? readFileSync(lockFile, 'utf8') : '';
        // The stolen lease is this test's: give it back, so the RTE can be asked.
        if (row.lock === 'kept') rmSync(lockFile, { force: true });
        // A lost bench has no power API to ask (and asking a frozen one would hang).
        const power = row.boardOff === 'gone' ? 'unknown' : boardPower();
        const gap = transcriptGap(join(rep, 'console.log'), sentBetween(r.startedAt, r.endedAt));
        const oneLine = new RegExp(`${row.part} (error|failure) \\(${row.code}[A-Z_]*\\)`);
        const line = r.out.split('\n').find((l) => oneLine.test(l));
        matrix.push({
          fault: row.fault,
          exit: String(r.code ?? r.signal),
          code: line ? (/\(([A-Z_]+)\)/.exec(line)?.[1] ?? '?') : (/\(([A-Z][A-Z_]+)\)/.exec(r.out)?.[1] ?? 'none'),
          boardOff: row.boardOff === 'gone' ? 'n/a (bench gone)' : power === 'off' ? 'yes' : power,
          lockFree: heldAfter ? (holder.includes('fault-matrix') ? 'kept (new holder)' : 'HELD') : 'yes',
          transcript: row.transcript === false ? 'n/a (disk full)' : gap ? 'NO' : 'yes',
          seconds: Math.round((r.endedAt - r.startedAt) / 1000),
        });
        writeFileSync(join(dir, `${row.fault.replace(/\W+/g, '-')}.out`), r.out);
        const ctx = `\n--- run output ---\n${r.out.slice(-6000)}`;
        if (row.trigger) assert.ok(r.triggeredAt, `the fault was never injected (no ${row.trigger.on})${ctx}`);
        assert.equal(r.code, row.exit, `exit code${ctx}`);
        assert.ok(line, `no one line naming "${row.part} … (${row.code}…)"${ctx}`);
        if (row.mentions) assert.match(r.out, row.mentions);
        assert.doesNotMatch(r.out, STACK_FRAME, `a stack trace reached the console${ctx}`);
        if (row.boardOff !== 'gone')
          assert.equal(power, row.boardOff === false ? 'on' : 'off', `board power after the run${ctx}`);
        if (row.endsWithinS && r.triggeredAt) {
          const s = (r.endedAt - r.triggeredAt) / 1000;
          assert.ok(
            s <= row.endsWithinS,
            `the run ended ${s.toFixed(0)} s after the fault (≤ ${row.endsWithinS} s)${ctx}`,
          );
        }
        if (row.boardOff === 'gone')
          assert.doesNotMatch(r.out, /^\s+FAIL\b/m, `a lost bench must not fail a test (the board's)${ctx}`);
        if (row.lock === 'kept') assert.match(holder, /fault-matrix/, "the new holder's lock record was removed");
        else assert.equal(heldAfter, false, `the lock is still held: ${holder}${ctx}`);
        if (row.transcript !== false) assert.equal(gap, undefined, `console.log misses serial output: ${gap}`);
      } finally {
        await row.cleanup?.();
        // Whatever happened, the next row starts from a board that is off.
        if (boardPower() !== 'off') cli('power', 'off');
      }
    });
  }
});

function printMatrix(rows: Measured[]): void {
  if (!rows.length) return;
  const head: Measured = {
    fault: 'fault',
    exit: 'exit',
    code: 'code',
    boardOff: 'board off',
    lockFree: 'lock free',
    transcript: 'transcript complete',
    seconds: 0,
  };
  const keys = ['fault', 'exit', 'code', 'boardOff', 'lockFree', 'transcript'] as const;
  const cell = (m: Measured, k: (typeof keys)[number]) => String(m[k]);
  const line = (m: Measured, secs: string) => `| ${keys.map((k) => cell(m, k)).join(' | ')} | ${secs} |`;
  const out = [
    line(head, 's'),
    `|${keys.map(() => '---').join('|')}|---|`,
    ...rows.map((m) => line(m, String(m.seconds))),
  ];
  console.log(`\n${out.join('\n')}\n`);
  writeFileSync(join(dir, 'matrix.md'), `${out.join('\n')}\n`);
  console.log(`(also in ${join(dir, 'matrix.md')})`);
}
