// The dma-isolation procedure for one guest (HVM or PV) that owns the passed-through NIC
// (docs/dma-isolation.md): a dom0 canary page, the positive control, the device aimed at the
// canary (read, then write), the canary's own account, Xen's new faults — then the verdict.
import type { OutsideView } from '../bench/provider.ts';
import { shq } from '../core/quote.ts';
import { attach, quietly, step } from '../core/step.ts';
import { sleep } from '../core/time.ts';
import { guestConsoleLog } from '../dom0/guest.ts';
import { listPciDevices } from '../dom0/sysfs-pci.ts';
import { attachResult } from '../evidence/command.ts';
import { runIdempotent } from '../remote/run-again-on-drop.ts';
import type { RemoteShell } from '../remote/types.ts';
import { parseIoPageFaults } from '../xen/io-page-fault.ts';
import { withCanary } from './canary.ts';
import { p2mDumpCommand } from './commands.ts';
import { guestProbeScript, PROBE_RUNS, type ProbeRunName } from './guest-script.ts';
import { installHelper, REMOTE_HELPER_DIR } from './install.ts';
import { type ConsoleProbe, probeFromConsole } from './probe-console.ts';
import { type ProbeReport, parseProbeOutput } from './probe-report.ts';
import { type IsolationVerdict, isolationVerdict } from './verdict.ts';
import { xenLogFrom } from './xen-log-since.ts';

export interface GuestContext {
  dom0: RemoteShell;
  guest: RemoteShell;
  guestName: string;
  type: 'hvm' | 'pv';
  /** The NIC as dom0 names it. */
  dom0Bdf: string;
  /** "8086:10d3": how the NIC is found in the guest, whose bus address differs from dom0's. */
  vendorDevice: string;
  faultsExpected: boolean;
  /** The bench's view of the board's memory from outside (the twin: QEMU), if it has one. */
  outsideView?: OutsideView;
}

export interface ContextResult {
  verdict: IsolationVerdict;
  guestBdf: string;
  probes: Record<ProbeRunName, ProbeReport>;
}

/** Where the guest script keeps its files (in the guest). */
const PROBE_RUN_DIR = `${REMOTE_HELPER_DIR}/probe-run`;

async function guestBdfOf(c: GuestContext): Promise<{ bdf: string; driver: string | null }> {
  const [vendor, device] = c.vendorDevice.split(':');
  const { devices, raw } = await listPciDevices(c.guest);
  const hit = devices.find((d) => d.vendor === vendor && d.device === device);
  if (!hit) {
    await attach(`PCI devices in the ${c.type} guest`, raw);
    throw new Error(`the ${c.type} guest sees no ${c.vendorDevice} device to probe`);
  }
  return hit;
}

/** PV DMA addresses are machine addresses: the guest gets its P2M from dom0 (it cannot read it). */
async function copyP2m(c: GuestContext): Promise<string> {
  const domid = Number((await c.dom0.check(`xl domid ${shq(c.guestName)}`, { timeoutMs: 20_000 })).stdout.trim());
  const dump = `${REMOTE_HELPER_DIR}/p2m-${domid}.txt`;
  const cmd = p2mDumpCommand(domid, dump);
  const r = await c.dom0.run(`mkdir -p ${shq(REMOTE_HELPER_DIR)} && ${cmd} && cat ${shq(dump)}`, {
    timeoutMs: 120_000,
  });
  if (r.exitCode !== 0 || !r.stdout.trim())
    throw new Error(`xen-mfndump dump-p2m ${domid} failed: ${r.stderr.trim().split('\n').pop()}`);
  const inGuest = `${REMOTE_HELPER_DIR}/p2m.txt`;
  await c.guest.check(`mkdir -p ${shq(REMOTE_HELPER_DIR)} && cat > ${shq(inGuest)}`, {
    input: r.stdout,
    timeoutMs: 120_000,
  });
  return inGuest;
}

/** Every run's report as the guest's console (kept by dom0) shows it, or undefined while one is missing. */
async function reportsOnConsole(c: GuestContext): Promise<ConsoleProbe | undefined> {
  const seen = probeFromConsole(await guestConsoleLog(c.dom0, c.guestName).catch(() => ''));
  return PROBE_RUNS.every((run) => seen.reports[run]) ? seen : undefined;
}

/**
 * The wait for the guest's probe script: how often its console is read (through dom0), every
 * how many passes SSH is tried before the console says the script is done, each SSH try's
 * budget, and how long after "done" SSH may stay away before the console's reports are used.
 */
export const PROBE_WAIT = { everyMs: 1_500, sshEveryPasses: 5, reconnectMs: 3_000, sshGraceMs: 15_000 };

/**
 * Runs the guest script detached, reconnects when the NIC (and the way in) is back, and reads the
 * three probe reports. Probes wait at most a few seconds each: 3 minutes covers a slow guest.
 */
async function runGuestScript(
  c: GuestContext,
  script: string,
  waitMs = 180_000,
): Promise<Record<ProbeRunName, ProbeReport>> {
  const dir = PROBE_RUN_DIR;
  await c.guest.check(`rm -rf ${shq(dir)} && mkdir -p ${shq(dir)} && cat > ${shq(`${dir}/run.sh`)}`, {
    input: script,
    timeoutMs: 20_000,
  });
  await attach(`dma-probe script (${c.type} guest)`, script);
  // Immune to the hangup of the session it outlives (busybox guests may have no nohup).
  await c.guest.check(`(trap '' HUP; exec sh ${shq(`${dir}/run.sh`)}) </dev/null >${shq(`${dir}/run.log`)} 2>&1 &`, {
    timeoutMs: 20_000,
  });
  const deadline = Date.now() + waitMs;
  let done = '';
  /** Set when the reports come from the guest's console through dom0 (SSH to the guest lost). */
  let fromConsole: ConsoleProbe | undefined;
  /** When the guest's console (read through dom0) first said the script was done. */
  let doneSeenAt: number | undefined;
  for (let pass = 1; Date.now() < deadline; pass++) {
    await sleep(PROBE_WAIT.everyMs);
    // The script takes the NIC from its driver, so SSH to the guest has nothing to answer it
    // until the driver is back, and a connection can hang instead of failing (the twin's slirp
    // holds it for the whole handshake deadline). Its console says when it is done: SSH is tried
    // then (and every few passes regardless, for a console dom0 cannot read), in short tries.
    // Left out of the report: a read a pass would attach the whole console each time.
    const seen = await quietly(() => reportsOnConsole(c));
    if (seen?.done) doneSeenAt ??= Date.now();
    if (doneSeenAt === undefined && pass % PROBE_WAIT.sshEveryPasses !== 0) continue;
    try {
      // A fresh session each time: the last one may have died with the NIC's driver.
      await c.guest.reconnect(PROBE_WAIT.reconnectMs);
      const r = await c.guest.run(`cat ${shq(`${dir}/probe.done`)} 2>/dev/null`, { timeoutMs: 10_000 });
      if (r.exitCode === 0 && r.stdout.trim()) {
        done = r.stdout.trim();
        break;
      }
    } catch {
      // Not back: the driver is still off, or the link or address not yet up. Once the script
      // has been done a while, the reports on its console are the evidence instead.
      if (seen?.done && doneSeenAt !== undefined && Date.now() - doneSeenAt >= PROBE_WAIT.sshGraceMs) {
        done = seen.done;
        fromConsole = seen;
        break;
      }
    }
  }
  if (!done)
    throw new Error(
      `the guest's probe run did not finish (or the guest did not come back over SSH) within ${waitMs / 1000} s`,
    );
  const out = {} as Record<ProbeRunName, ProbeReport>;
  for (const run of PROBE_RUNS) {
    if (!fromConsole) {
      // The NIC's driver came back just before probe.done: the link may still flap under the read.
      const cmd = `cat ${shq(`${dir}/${run}.out`)}; echo; cat ${shq(`${dir}/${run}.err`)} >&2`;
      const r = await runIdempotent(c.guest, cmd, { timeoutMs: 20_000, tries: 2, reconnectMs: 15_000 }).catch(
        async (e: unknown) => {
          // SSH to the guest did not come back: the same report is on its console, through dom0.
          fromConsole = await reportsOnConsole(c);
          if (!fromConsole) throw e;
          return undefined;
        },
      );
      if (r) {
        await attachResult(`dma-probe ${run} (${c.type} guest)`, r);
        out[run] = parseProbeOutput(r.stdout);
        continue;
      }
    }
    const line = fromConsole!.reports[run]!;
    await attach(`dma-probe ${run} (${c.type} guest, from its console through dom0: SSH to the guest was lost)`, line);
    out[run] = parseProbeOutput(line);
  }
  await attach(`dma-probe: network after the probe (${c.type} guest)`, done);
  return out;
}

export async function probeGuestContext(c: GuestContext): Promise<ContextResult> {
  // Two named steps of the test (the plumbing inside them): install the probe, aim the DMA.
  const { canaryBin, probeBin } = await step(
    `install the probe (dom0 canary, DMA probe in the ${c.type} guest)`,
    {},
    async () => ({
      canaryBin: await installHelper(c.dom0, 'dom0-canary'),
      probeBin: await installHelper(c.guest, 'dma-probe'),
    }),
  );
  return step(`aim the NIC's DMA at a dom0 page from the ${c.type} guest`, {}, () => aimDma(c, canaryBin, probeBin));
}

async function aimDma(c: GuestContext, canaryBin: string, probeBin: string): Promise<ContextResult> {
  const { bdf: guestBdf, driver } = await guestBdfOf(c);
  const p2m = c.type === 'pv' ? await copyP2m(c) : undefined;
  const xenLog = await xenLogFrom(c.dom0);
  const {
    value: probes,
    ready,
    released,
    outside,
  } = await withCanary(
    c.dom0,
    canaryBin,
    (canary) =>
      runGuestScript(
        c,
        guestProbeScript({
          dir: PROBE_RUN_DIR,
          binary: probeBin,
          bdf: guestBdf,
          driver,
          target: canary.machineAddress,
          p2m,
        }),
      ),
    c.outsideView,
  );
  const verdict = isolationVerdict({
    device: c.dom0Bdf,
    ...probes,
    canary: ready,
    canaryReleased: released,
    outside,
    faults: parseIoPageFaults(await xenLog.since()),
    faultsExpected: c.faultsExpected,
  });
  return { verdict, guestBdf, probes };
}
