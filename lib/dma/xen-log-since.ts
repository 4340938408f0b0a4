// Xen's log from now on: what the hypervisor said while a probe ran (IO_PAGE_FAULT lines).
// The console ring can wrap; then the last line seen before is searched for, and when it is
// gone the whole ring counts (more lines, never fewer).
import { xlDmesg } from '../dom0/guest.ts';
import type { RemoteShell } from '../remote/types.ts';

async function xlDmesgLines(dom0: RemoteShell): Promise<string[]> {
  return (await xlDmesg(dom0)).split('\n');
}

export async function xenLogFrom(dom0: RemoteShell): Promise<{ since(): Promise<string> }> {
  const before = await xlDmesgLines(dom0);
  let markAt = before.length - 1;
  while (markAt >= 0 && !before[markAt]!.trim()) markAt--;
  const mark = markAt >= 0 ? before[markAt] : undefined;
  return {
    async since() {
      const now = await xlDmesgLines(dom0);
      if (mark === undefined) return now.join('\n');
      // Not wrapped: the mark is where it was. Wrapped: its last copy, or nothing was kept.
      const at = now[markAt] === mark ? markAt : now.lastIndexOf(mark);
      return now.slice(at + 1).join('\n');
    },
  };
}
