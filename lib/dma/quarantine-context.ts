// The quarantine context: after `xl destroy` (or `pci-assignable-add`) Xen ≥ 4.13 keeps the NIC
// in d[IO], its DMA confined to the quarantine's (empty or scratch) tables. The probe runs in
// dom0 beside pciback, with machine addresses from the M2P (dom0 cannot dump its own P2M): the
// device is aimed at dom0's canary and must reach nothing. The positive control runs afterwards
// on the same device given back to dom0 (dom0's own tables), proving the probe and its
// addresses work there.
import type { OutsideView } from '../bench/provider.ts';
import { attachResult } from '../evidence/command.ts';
import type { RemoteShell } from '../remote/types.ts';
import { parseIoPageFaults } from '../xen/io-page-fault.ts';
import { withCanary } from './canary.ts';
import { probeCommand } from './commands.ts';
import { installHelper } from './install.ts';
import { type ProbeReport, parseProbeOutput } from './probe-report.ts';
import { type IsolationVerdict, isolationVerdict } from './verdict.ts';
import { xenLogFrom } from './xen-log-since.ts';

export interface QuarantineContext {
  dom0: RemoteShell;
  /** The NIC as dom0 names it ("0000:02:00.0"). */
  bdf: string;
  faultsExpected: boolean;
  /** Gives the NIC back to dom0's driver (xl pci-assignable-remove -r) between the two halves. */
  giveBack: () => Promise<void>;
  /** The bench's view of the board's memory from outside (the twin: QEMU), if it has one. */
  outsideView?: OutsideView;
}

async function probe(dom0: RemoteShell, label: string, cmd: string): Promise<ProbeReport> {
  const r = await dom0.run(cmd, { timeoutMs: 120_000 });
  await attachResult(`dma-probe ${label} (dom0, quarantine)`, r);
  return parseProbeOutput(r.stdout);
}

export async function probeQuarantine(c: QuarantineContext): Promise<IsolationVerdict> {
  const canaryBin = await installHelper(c.dom0, 'dom0-canary');
  const probeBin = await installHelper(c.dom0, 'dma-probe');
  const xenLog = await xenLogFrom(c.dom0);
  const base = { binary: probeBin, bdf: c.bdf, m2p: true };
  const { value, ready, released, outside } = await withCanary(
    c.dom0,
    canaryBin,
    async (canary) => {
      const at = canary.machineAddress;
      const target = await probe(c.dom0, 'read of the canary', probeCommand({ ...base, target: at, pciback: true }));
      const targetWrite = await probe(
        c.dom0,
        'write to the canary',
        probeCommand({ ...base, target: at, write: true, pciback: true }),
      );
      await c.giveBack();
      const positive = await probe(
        c.dom0,
        'positive control (device back in dom0)',
        probeCommand({ ...base, target: 'positive', unbind: true, rebind: true }),
      );
      return { target, targetWrite, positive };
    },
    c.outsideView,
  );
  return isolationVerdict({
    device: c.bdf,
    ...value,
    canary: ready,
    canaryReleased: released,
    outside,
    faults: parseIoPageFaults(await xenLog.since()),
    faultsExpected: c.faultsExpected,
  });
}
