// What EFI iPXE and then GRUB fetch once `chain` names GRUB EFI, as a board would: the binary,
// then the grub.cfg its embedded stub sources, then every file the config's multiboot2 and
// module2 lines name. The stub and config are read as GRUB reads them: one single-quoted word for
// each (http,host:port)/path (lib/pxe/grub-cfg.ts).
const DRIVE_PATH = /'\(http,([^)']+)\)(\/[^']*)'/;

/** GET over HTTP as the board's firmware does; a refusal in iPXE's words. */
export async function firmwareFetch(url: string): Promise<Buffer> {
  const r = await fetch(url);
  if (r.status !== 200) throw new Error(`No such file or directory (http://ipxe.org/2d0c613b)`);
  return Buffer.from(await r.arrayBuffer());
}

const urlOf = (m: RegExpExecArray) => `http://${m[1]}${m[2]}`;

/** The URLs GRUB fetches after it started: its config, then Xen, the dom0 kernel and initramfs. */
export async function grubFetches(grub: Buffer): Promise<string[]> {
  const stub = /source '[^']*'/.exec(grub.toString('latin1'));
  const cfgAt = stub && DRIVE_PATH.exec(stub[0]);
  if (!cfgAt) throw new Error('no embedded stub sourcing a grub.cfg over http');
  const cfg = (await firmwareFetch(urlOf(cfgAt))).toString();
  const files = cfg
    .split('\n')
    .filter((l) => /^(multiboot2|module2) /.test(l))
    .map((l) => DRIVE_PATH.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(urlOf);
  for (const f of files) await firmwareFetch(f);
  return [urlOf(cfgAt), ...files];
}
