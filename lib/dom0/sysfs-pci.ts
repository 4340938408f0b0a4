// PCI devices and their drivers read from sysfs: works the same in dom0, an HVM guest or a
// busybox PV guest, where `lspci` may be missing or print another format.
import type { RemoteShell } from '../remote/types.ts';

export interface SysfsPciDevice {
  bdf: string;
  vendor: string;
  device: string;
  driver: string | null;
}

const SYSFS_PCI_LIST =
  'for d in /sys/bus/pci/devices/*; do [ -e "$d/vendor" ] || continue; ' +
  'drv=; [ -e "$d/driver" ] && drv=$(basename "$(readlink -f "$d/driver")"); ' +
  'echo "$(basename "$d") $(cat "$d/vendor") $(cat "$d/device") $drv"; done';

function parseSysfsPciList(text: string): SysfsPciDevice[] {
  const out: SysfsPciDevice[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) 0x([0-9a-f]{4}) 0x([0-9a-f]{4})(?: (\S+))?\s*$/i.exec(
      line.trim(),
    );
    if (m)
      out.push({
        bdf: m[1]!.toLowerCase(),
        vendor: m[2]!.toLowerCase(),
        device: m[3]!.toLowerCase(),
        driver: m[4] ?? null,
      });
  }
  return out;
}

export async function listPciDevices(shell: RemoteShell): Promise<{ devices: SysfsPciDevice[]; raw: string }> {
  const r = await shell.check(SYSFS_PCI_LIST, { timeoutMs: 20_000 });
  return { devices: parseSysfsPciList(r.stdout), raw: r.stdout };
}
