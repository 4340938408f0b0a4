// Guest domains driven from dom0: the config file is written through stdin (never pasted into
// a command line), created, inspected and always destroyed.
import { sh, shq } from '../core/quote.ts';
import type { CommandResult } from '../core/result.ts';
import type { RemoteShell } from '../remote/types.ts';

const GUEST_DIR = '/tmp/iommu-lab';

function cfgPath(name: string): string {
  return `${GUEST_DIR}/${name}.cfg`;
}

export async function writeGuestConfig(d: RemoteShell, name: string, cfg: string): Promise<void> {
  await d.check(`mkdir -p ${shq(GUEST_DIR)} && cat > ${shq(cfgPath(name))}`, { input: cfg, timeoutMs: 20_000 });
}

export function createGuest(d: RemoteShell, name: string, timeoutMs = 120_000): Promise<CommandResult> {
  return d.run(sh('xl', 'create', cfgPath(name)), { timeoutMs });
}

/** Idempotent: a guest that does not exist is fine. */
export async function destroyGuest(d: RemoteShell, name: string): Promise<void> {
  await d.run(`xl domid ${shq(name)} >/dev/null 2>&1 && xl destroy ${shq(name)} || true`, { timeoutMs: 60_000 });
}

export async function guestConsoleLog(d: RemoteShell, name: string): Promise<string> {
  const r = await d.run(`cat ${shq(`/var/log/xen/console/guest-${name}.log`)} 2>/dev/null`, { timeoutMs: 20_000 });
  return r.stdout;
}

export async function xlDmesg(d: RemoteShell): Promise<string> {
  return (await d.check('xl dmesg', { timeoutMs: 30_000 })).stdout;
}
