// What a bench's dom0 initramfs must hold, checked on the archive itself (unpacked into a temp
// folder): the apu2's NIC drivers, xen-pciback, the HVM device model, iperf3, dropbear with the
// rig's key, the network file /init sources, and no address of the twin's slirp network.
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempDir } from '../helpers/temp-dir.ts';

/** Each must match at least one path in the archive (relative, no leading "./"). */
export const REQUIRED: [string, RegExp][] = [
  ['igb (i210/i211)', /\/igb\.ko(\.[a-z]+)?$/],
  ['e1000e', /\/e1000e\.ko(\.[a-z]+)?$/],
  ['xen-pciback', /\/xen-pciback\.ko(\.[a-z]+)?$/],
  ['HVM device model (qemu-system-xen)', /^usr\/libexec\/xen-qemu-system-i386$/],
  ['iperf3', /^usr\/bin\/iperf3$/],
  ['dropbear', /^usr\/sbin\/dropbear$/],
  ['dropbear host key', /^etc\/dropbear\/dropbear_ed25519_host_key$/],
  ['authorized_keys', /^root\/\.ssh\/authorized_keys$/],
  ['/init', /^init$/],
  ['network file', /^etc\/iommu-lab\/dom0-network$/],
  ['udhcpc hook', /^etc\/udhcpc\.script$/],
];
export const FORBIDDEN = ['10.0.2.15', '10.0.2.2'];

function walk(dir: string, top = dir, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, top, out);
    else out.push(relative(top, p));
  }
  return out;
}

export interface Contents {
  dir: string;
  files: string[];
  problems: string[];
}

/** Unpack `archive` (gzip or plain cpio) and list what is missing or should not be there. */
export function checkInitramfs(archive: string, authorizedKeys?: string): Contents {
  const dir = tempDir('initramfs-');
  const cat = archive.endsWith('.gz') ? `gzip -dc '${archive}'` : `cat '${archive}'`;
  execFileSync('sh', ['-c', `${cat} | cpio -id --quiet --no-absolute-filenames`], { cwd: dir, stdio: 'ignore' });
  const files = walk(dir);
  const problems: string[] = [];
  for (const [what, re] of REQUIRED) if (!files.some((f) => re.test(f))) problems.push(`no ${what}`);
  if (authorizedKeys !== undefined && files.includes('root/.ssh/authorized_keys')) {
    if (readFileSync(join(dir, 'root/.ssh/authorized_keys'), 'utf8') !== authorizedKeys)
      problems.push('authorized_keys is not the rig key');
  }
  for (const f of files) {
    const p = join(dir, f);
    if (!lstatSync(p).isFile()) continue;
    const bytes = readFileSync(p);
    for (const s of FORBIDDEN) if (bytes.includes(s)) problems.push(`${f} contains ${s}`);
  }
  return { dir, files, problems };
}
