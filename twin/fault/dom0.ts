// Faults done inside the twin's dom0, over its SSH with the twin's own client key — what a
// crashed daemon, a bad dom0 image or a dying kernel would do on a real bench.
import { execFile } from 'node:child_process';
import { TWIN_SSH_OPTIONS } from '../base/ssh-options.ts';

export function dom0Command(port: number, command: string, timeoutMs = 20_000): Promise<{ ok: boolean; out: string }> {
  const args = ['-p', String(port), ...TWIN_SSH_OPTIONS, '-o', 'ConnectTimeout=5', 'root@127.0.0.1', command];
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ ok: !err, out: `${stdout}${stderr}`.trim() }),
    );
  });
}

/** Waits until dom0 answers SSH (the fault needs a running dom0); false at the deadline. */
export async function waitForDom0(port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if ((await dom0Command(port, 'true', 10_000)).ok) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/** Runs a fault's command in dom0 once it answers SSH; resolves with `done`. */
export async function inDom0(port: number, command: string, done: string, waitMs = 5 * 60_000): Promise<string> {
  if (!(await waitForDom0(port, waitMs))) throw new Error(`dom0 did not answer SSH within ${waitMs} ms`);
  const r = await dom0Command(port, command);
  if (!r.ok) throw new Error(`dom0 refused the fault: ${r.out.slice(0, 300)}`);
  return done;
}

/**
 * Detached, so the SSH command that starts it returns before it strikes (it may kill that very
 * session, or the kernel).
 */
const later = (script: string) => `nohup sh -c '${script}' >/dev/null 2>&1 </dev/null &`;

/** Every dropbear (the listener and each session): open connections drop, new ones are refused. */
export const KILL_SSHD = later(
  'sleep 0.3; for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = dropbear ] && kill -9 "$(basename $p)"; done',
);

/** The dom0 kernel panics (`Kernel panic - not syncing: sysrq triggered crash`). */
export const PANIC_DOM0 = later('sleep 0.3; echo c > /proc/sysrq-trigger');

/**
 * Every guest domain is paused as soon as `xl create` lets it run, for 15 minutes (or until the
 * board is switched off): a guest that never boots, its console silent — as a guest hung by a
 * broken IOMMU set-up looks. Pausing only what is not paused keeps Xen's pause count at one.
 */
export const HANG_GUESTS = later(
  'i=0; while [ $i -lt 1800 ]; do xl list | while read -r name id mem vcpus state rest; do ' +
    'case "$name" in Name|Domain-0) continue ;; esac; case "$state" in *p*) ;; *) xl pause "$name" ;; esac; ' +
    'done; i=$((i+1)); sleep 0.5; done',
);

/** modprobe of xen-pciback fails from now on, and a loaded one is unloaded: pciback cannot seize anything. */
export const REFUSE_PCIBACK =
  'mkdir -p /etc/modprobe.d && echo "install xen_pciback /bin/false" > /etc/modprobe.d/iommu-lab-fault.conf' +
  ' && { ! grep -q "^xen_pciback " /proc/modules || rmmod xen_pciback; }';
