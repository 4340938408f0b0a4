// Why a guest never answered SSH, told from what dom0 can still see after the wait: the guest's
// console and its state in `xl list`. Whose problem it is decides the verdict: a guest image that
// cannot boot, or a guest that is up but out of reach, is the lab's; a guest that hung, crashed or
// never reached user space with the device assigned is what the suite exists to catch.
import { AssertionError } from 'node:assert';
import { carryDiagnoses } from '../core/carried-diagnoses.ts';
import { RigError } from '../core/errors.ts';
import { shq } from '../core/quote.ts';
import { diagnose } from '../diagnose/table.ts';
import type { RemoteShell } from '../remote/types.ts';
import { parseXlList } from '../xen/xl-list.ts';

/** The guest's kernel says its image is unusable (no initramfs, no root, no init). */
const IMAGE_BROKEN =
  /VFS: Unable to mount root fs|No working init found|Initramfs unpacking failed|Kernel panic - not syncing: (?:VFS|No working init)/;
/** The guest's own "I am up" line: the twin's guest images print it once sshd runs. */
const GUEST_READY = /iommu-lab: guest ready/;
/** "iommu-lab: guest ready (eth0 10.0.2.15/24)": the interface and address it came up with. */
const READY_ON = /iommu-lab: guest ready \((\S+) ([0-9./]+)?\)/;

/** Whether the guest's console says it is up (sshd running, the NIC configured). */
export function saysReady(console: string): boolean {
  return GUEST_READY.test(console);
}

/** `xl list` state flags, spelled out for the message. */
const FLAGS: Record<string, string> = {
  r: 'running',
  b: 'blocked',
  p: 'paused',
  s: 'shut down',
  c: 'crashed',
  d: 'dying',
};

/** "--p---" → "paused"; undefined when xl does not list the domain. */
export function describeXlState(flags: string | undefined): string {
  if (!flags) return 'gone from xl list (destroyed after a crash or a shutdown)';
  const words = [...flags].filter((f) => f !== '-').map((f) => FLAGS[f] ?? f);
  return words.length ? words.join(', ') : 'no state flag (runnable)';
}

/** The State column of `xl list` output for `name`, or undefined when it lists no such domain. */
export function stateFromXlList(stdout: string, name: string): string | undefined {
  return parseXlList(stdout).find((d) => d.name === name)?.state;
}

export async function xlState(d: RemoteShell, name: string): Promise<string | undefined> {
  const r = await d.run(`xl list ${shq(name)} 2>/dev/null`, { timeoutMs: 20_000 });
  return stateFromXlList(r.stdout, name);
}

export interface NoAnswer {
  /** The guest owns a passed-through device, and SSH reaches it through that NIC only. */
  throughPassthrough?: boolean;
  /** Guest type, for the diagnosis line. */
  type?: string;
  /** The wait's own message, e.g. "pv guest did not answer SSH within 180 s (…)". */
  waited: string;
  /** The guest console log as dom0 kept it. */
  console: string;
  /** `xl list` state flags; undefined when the domain is gone. */
  state: string | undefined;
}

/** The last lines of a guest console for an error message ('' when it said nothing). */
export function consoleTail(log: string): string {
  return log.trim().split('\n').slice(-15).join('\n');
}

export function guestNoAnswer(n: NoAnswer): Error {
  const tail = consoleTail(n.console);
  const lines = tail ? `\nlast guest console lines:\n${tail}` : '\nthe guest console is empty';
  const state = `xl list: ${describeXlState(n.state)}`;
  // Up by its console, yet silent on the only way in, which is the NIC under test: the board's
  // NIC_NO_TRAFFIC (the reference post's symptom; an untranslated NIC moves nothing), not the lab's.
  if (n.throughPassthrough && GUEST_READY.test(n.console)) {
    const [, ifname = 'its NIC', address = 'its address'] = READY_ON.exec(n.console) ?? [];
    const line = `NIC_NO_TRAFFIC: ${ifname} (${n.type ?? 'guest'}) has link and address ${address} but answers nothing through the passed-through NIC (SSH from the test host never got through)`;
    const findings = diagnose(line);
    const said = findings.map((f) => `\ndiagnosis ${f.code}: ${f.message}\n  remedy: ${f.remedy}`).join('');
    return carryDiagnoses(
      new AssertionError({ message: `${n.waited}; ${state}; ${line}${said}${lines}` }),
      findings.map((f) => ({ code: f.code, severity: f.severity, text: f.text })),
    );
  }
  const [code, why] = IMAGE_BROKEN.test(n.console)
    ? (['GUEST_IMAGE_BROKEN', "the guest's kernel found no root or init: fix guests.kernel/guests.ramdisk"] as const)
    : GUEST_READY.test(n.console)
      ? (['GUEST_UNREACHABLE', 'its console says it is up: check guests.ssh and the network to the guest'] as const)
      : (['GUEST_NO_ANSWER', 'it never reached user space: read its console and xl dmesg'] as const);
  return new RigError(`${n.waited}; ${state}; ${why}${lines}`, { code, part: 'guest' });
}
