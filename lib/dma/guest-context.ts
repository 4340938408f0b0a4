// The dma-isolation procedure for one guest (HVM or PV) that owns the passed-through NIC
// (docs/dma-isolation.md): a dom0 canary page, the positive control, the device aimed at the
// canary (read, then write), the canary's own account, Xen's new faults — then the verdict.
import { shq } from '../core/quote.ts';
import { attach } from '../core/step.ts';
import { attachResult } from '../evidence/command.ts';
import { listPciDevices } from '../dom0/sysfs-pci.ts';
import type { RemoteShell } from '../remote/types.ts';
import { parseIoPageFaults } from '../xen/io-page-fault.ts';
import { Dom0Canary } from './canary.ts';
import { p2mDumpCommand, probeCommand } from './commands.ts';
import { installHelper, REMOTE_HELPER_DIR } from './install.ts';
import { type ProbeReport, parseProbeOutput } from './probe-report.ts';
import { type IsolationVerdict, isolationVerdict } from './verdict.ts';

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
}

export interface ContextResult {
  verdict: IsolationVerdict;
  guestBdf: string;
  probes: { positive: ProbeReport; target: ProbeReport; targetWrite: ProbeReport };
}

/** A probe that cannot run is the lab's problem (broken), never a pass. */
export class ProbeCannotRun extends Error {}

async function guestBdfOf(c: GuestContext): Promise<{ bdf: string; driver: string | null }> {
  const [vendor, device] = c.vendorDevice.split(':');
  const { devices, raw } = await listPciDevices(c.guest);
  const hit = devices.find((d) => d.vendor === vendor && d.device === device);
  if (!hit) {
    await attach(`PCI devices in the ${c.type} guest`, raw);
    throw new ProbeCannotRun(`the ${c.type} guest sees no ${c.vendorDevice} device to probe`);
  }
  return hit;
}

/** PV DMA addresses are machine addresses: the guest gets its P2M from dom0 (it cannot read it). */
async function copyP2m(c: GuestContext): Promise<string> {
  const domid = Number((await c.dom0.check(`xl domid ${shq(c.guestName)}`, { timeoutMs: 20_000 })).stdout.trim());
  const dump = `${REMOTE_HELPER_DIR}/p2m-${domid}.txt`;
  // xen-mfndump lives with Xen's tools, not always on PATH (Debian: /usr/lib/xen-<v>/bin).
  const cmd = p2mDumpCommand(domid, dump).replace(
    /^'?xen-mfndump'?/,
    '"$(command -v xen-mfndump || ls /usr/lib/xen-*/bin/xen-mfndump | head -n1)"',
  );
  const r = await c.dom0.run(`mkdir -p ${shq(REMOTE_HELPER_DIR)} && ${cmd} && cat ${shq(dump)}`, {
    timeoutMs: 120_000,
  });
  if (r.exitCode !== 0 || !r.stdout.trim())
    throw new ProbeCannotRun(`xen-mfndump dump-p2m ${domid} failed: ${r.stderr.trim().split('\n').pop()}`);
  const inGuest = `${REMOTE_HELPER_DIR}/p2m.txt`;
  await c.guest.check(`mkdir -p ${shq(REMOTE_HELPER_DIR)} && cat > ${shq(inGuest)}`, {
    input: r.stdout,
    timeoutMs: 120_000,
  });
  return inGuest;
}

async function probe(c: GuestContext, label: string, cmd: string): Promise<ProbeReport> {
  const r = await c.guest.run(cmd, { timeoutMs: 120_000 });
  await attachResult(`dma-probe ${label} (${c.type} guest)`, r);
  return parseProbeOutput(r.stdout);
}

export async function probeGuestContext(c: GuestContext): Promise<ContextResult> {
  const canaryBin = await installHelper(c.dom0, 'dom0-canary');
  const probeBin = await installHelper(c.guest, 'dma-probe');
  const { bdf: guestBdf, driver } = await guestBdfOf(c);
  const p2m = c.type === 'pv' ? await copyP2m(c) : undefined;
  const dmesgBefore = (await c.dom0.check('xl dmesg', { timeoutMs: 30_000 })).stdout.split('\n').length;
  const canary = await Dom0Canary.hold(c.dom0, canaryBin);
  let released: Awaited<ReturnType<Dom0Canary['release']>> | undefined;
  let positive: ProbeReport;
  let target: ProbeReport;
  let targetWrite: ProbeReport;
  try {
    await attach('dom0 canary', JSON.stringify(canary.ready, null, 2), 'application/json');
    const base = { binary: probeBin, bdf: guestBdf, p2m };
    positive = await probe(c, 'positive control', probeCommand({ ...base, target: 'positive', unbind: true }));
    target = await probe(c, 'read of the canary', probeCommand({ ...base, target: canary.ready.machineAddress }));
    targetWrite = await probe(
      c,
      'write to the canary',
      probeCommand({ ...base, target: canary.ready.machineAddress, write: true, rebind: true }),
    );
  } finally {
    released = await canary.release().catch(() => undefined);
    // The probe rebinds on its last run; after a failure half-way the driver may still be off.
    if (driver)
      await c.guest
        .run(
          `[ -e /sys/bus/pci/devices/${guestBdf}/driver ] || echo ${shq(guestBdf)} > /sys/bus/pci/drivers/${shq(driver)}/bind`,
          { timeoutMs: 20_000 },
        )
        .catch(() => {});
  }
  if (released) await attach('dom0 canary output', released.raw);
  const newLines = (await c.dom0.check('xl dmesg', { timeoutMs: 30_000 })).stdout
    .split('\n')
    .slice(dmesgBefore - 1)
    .join('\n');
  const verdict = isolationVerdict({
    device: c.dom0Bdf,
    positive,
    target,
    targetWrite,
    canary: canary.ready,
    canaryReleased: released?.output.released ?? null,
    faults: parseIoPageFaults(newLines),
    faultsExpected: c.faultsExpected,
  });
  return { verdict, guestBdf, probes: { positive, target, targetWrite } };
}
