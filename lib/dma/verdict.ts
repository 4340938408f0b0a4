// The DMA isolation verdict, a pure function of what the probe, the canary and Xen's log said.
// Order matters: proof of a leak wins over everything (a leak is a failure even when the
// positive control also went wrong); then a probe that did not prove it can see a DMA is
// broken, never a pass; only then does "nothing came back" mean isolated.
import { dmaRows } from '../diagnose/rows-dma.ts';
import { diagnose } from '../diagnose/table.ts';
import type { Finding } from '../diagnose/types.ts';
import { faultsNaming, type IoPageFault } from '../xen/io-page-fault.ts';
import { classifyReadBack, type ReadBack } from './bytes.ts';
import type { CanaryReleased, OutsideAccount } from './canary-report.ts';
import type { ProbeReport, ProbeRun } from './probe-report.ts';

export interface IsolationInput {
  /** The NIC as dom0 names it. */
  device: string;
  positive: ProbeReport;
  /** dma-probe --target <canary> (the device reads dom0's page). */
  target: ProbeReport;
  /** dma-probe --target <canary> --write, if it was run (its effect shows in canaryReleased). */
  targetWrite?: ProbeReport;
  canary: { machineAddress: string; pattern: string };
  canaryReleased?: CanaryReleased | null;
  /** The canary's page seen from outside the board (the twin: QEMU), when the bench can look. */
  outside?: OutsideAccount | null;
  /** IO_PAGE_FAULT events Xen logged while the probe ran. */
  faults?: IoPageFault[];
  /** The rig says this board's IOMMU reports faults (the twin's QEMU 7.2 may not). */
  faultsExpected?: boolean;
}

export type IsolationOutcome = 'isolated' | 'leaky' | 'broken';

export interface IsolationVerdict {
  outcome: IsolationOutcome;
  /** One line: the DMA_NOT_ISOLATED / DMA_PROBE_BROKEN diagnosis line, or what isolation looked like. */
  summary: string;
  finding: Finding | null;
  evidence: string[];
  warnings: string[];
  /** Faults that name the device. */
  faults: IoPageFault[];
  readBack: ReadBack;
}

const SAY: Record<ReadBack, string> = {
  pattern: "dom0's canary pattern",
  zeros: 'zeros',
  ones: 'all-ones',
  other: 'bytes that are not the canary',
  nothing: 'no frame',
};

function describe(name: string, r: ProbeReport): string {
  if (!r.ok) return `${name}: the probe stopped at "${r.stage}": ${r.error}`;
  const rx = r.rx.done ? `RX done in ${r.rx.us} us (${r.rx.length} bytes)` : 'RX not done';
  return `${name}: TX buffer ${r.memory.txBuffer}, RX buffer ${r.memory.rxBuffer}; TX ${r.tx.done ? `done in ${r.tx.us} us` : 'not done'}, ${rx}`;
}

/** Why the positive control does not prove the probe works, or null when it does. */
function positiveProblem(p: ProbeReport): string | null {
  if (!p.ok) return `the positive control stopped at "${p.stage}": ${p.error}`;
  if (p.mode !== 'positive') return 'the positive-control report is not from --positive';
  if (!p.tx.done) return "the NIC never completed the positive control's TX descriptor (DD not set)";
  if (!p.rx.done) return "the positive control's frame never came back through loopback";
  if (!p.memory.stayed) return "the guest's DMA pages moved while the probe ran";
  const got = classifyReadBack(p.rx.bytes, p.pattern);
  if (got === 'pattern') return null;
  const hint =
    got === 'other'
      ? ": the device read other memory than the guest's buffer, as if its DMA used another device's I/O page table"
      : '';
  return `the positive control read back ${SAY[got]} instead of the guest's own pattern${hint}`;
}

function verdictLine(line: string): Finding | null {
  return diagnose(line, dmaRows)[0] ?? null;
}

export function isolationVerdict(inp: IsolationInput): IsolationVerdict {
  const faults = faultsNaming(inp.faults ?? [], inp.device);
  const evidence = [describe('positive control', inp.positive), describe('target', inp.target)];
  if (inp.targetWrite) evidence.push(describe('target write', inp.targetWrite));
  for (const f of faults) evidence.push(`Xen logged: ${f.text}`);
  const t: ProbeRun | null = inp.target.ok ? inp.target : null;
  const readBack = t?.rx.done ? classifyReadBack(t.rx.bytes, inp.canary.pattern) : 'nothing';
  evidence.push(`the target read brought back ${SAY[readBack]}`);
  const rel = inp.canaryReleased;
  if (rel) evidence.push(`dom0's canary ${rel.intact ? 'is unchanged' : `changed at byte ${rel.firstChange}`}`);
  const warnings: string[] = [];
  const addr = inp.canary.machineAddress;
  const out = inp.outside;
  const seen = out && `${out.observer}'s view of machine address ${addr}`;
  if (out?.intact === true) evidence.push(`${seen} is unchanged`);
  if (out?.intact === false) evidence.push(`${seen} changed at byte ${out.firstChange}`);
  if (out && out.intact === null) warnings.push(`${seen} could not be read: ${out.error}`);
  const base = { evidence, warnings, faults, readBack };

  const leaks: string[] = [];
  if (readBack === 'pattern') leaks.push("the NIC read dom0's canary back");
  if (rel && !rel.intact) leaks.push(`dom0's canary page changed at byte ${rel.firstChange}`);
  if (out?.intact === false) leaks.push(`${out.observer} saw the page change at byte ${out.firstChange}`);
  if (leaks.length > 0) {
    const summary = `DMA_NOT_ISOLATED: ${inp.device} reached machine address ${addr} outside its guest (${leaks.join('; ')})`;
    return { ...base, outcome: 'leaky', summary, finding: verdictLine(summary) };
  }

  const broken =
    positiveProblem(inp.positive) ??
    (!t
      ? `the target probe stopped at "${inp.target.ok ? '' : inp.target.stage}": ${inp.target.ok ? '' : inp.target.error}`
      : null) ??
    (t && t.target !== addr ? `the target probe aimed at ${t.target}, not at the canary ${addr}` : null) ??
    (rel && !rel.stayed ? "dom0's canary page moved while the probe ran" : null) ??
    (inp.targetWrite && !rel
      ? "dom0's canary did not report on its page after the write: its effect is unknown"
      : null) ??
    (inp.targetWrite && !inp.targetWrite.ok
      ? `the target write stopped at "${inp.targetWrite.stage}": ${inp.targetWrite.error}`
      : null);
  if (broken) {
    const summary = `DMA_PROBE_BROKEN: ${inp.device}: ${broken}`;
    return { ...base, outcome: 'broken', summary, finding: verdictLine(summary) };
  }

  if (inp.faultsExpected && faults.length === 0)
    warnings.push(`Xen logged no IO_PAGE_FAULT naming ${inp.device}, though this board is expected to report faults`);
  const how = t?.tx.done
    ? `the device completed the descriptor and brought back ${SAY[readBack]}`
    : 'the device reported no completion';
  const fault = faults.length > 0 ? `; Xen logged ${faults.length} IO_PAGE_FAULT naming it` : '';
  const outside = out?.intact === true ? `; ${out.observer} saw the page unchanged` : '';
  return {
    ...base,
    outcome: 'isolated',
    summary: `${inp.device}: DMA to machine address ${addr} did not reach dom0's canary (${how}${fault}${outside})`,
    finding: null,
  };
}
