// The PV guests' kernel as a gzipped ELF (vmlinux.gz), unpacked from the bzImage at build time.
//
// Why: for a bzImage, `xl create` unpacks the kernel in dom0 (libxenguest's bzImage loader):
// Debian 12's is xz, Debian 13's zstd, 66 MB of ELF. Under the twin's TCG that took 6.2 s of a
// PV guest's `xl create`; a gzipped ELF, which libxenguest gunzips itself (xc_dom_try_gunzip),
// took 2.6 s and the guest was up 3 s sooner (docs/twin.md, "PV guests"). The ELF is the same
// kernel: the bzImage's payload (boot protocol 2.08+: payload_offset/payload_length), unpacked.
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { check } from '../core/exec.ts';
import { sh, shq } from '../core/quote.ts';

const FORMATS: { name: string; magic: Buffer; unpack: string[]; trailer: boolean }[] = [
  // The kernel build appends the unpacked size (4 bytes) to an xz or zstd payload.
  {
    name: 'xz',
    magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]),
    unpack: ['xz', '-dc', '--single-stream'],
    trailer: true,
  },
  { name: 'zstd', magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), unpack: ['zstd', '-dcq'], trailer: true },
  { name: 'gzip', magic: Buffer.from([0x1f, 0x8b]), unpack: ['gzip', '-dc'], trailer: false },
];

/** Where a bzImage's compressed kernel lies, and how it is compressed. */
export function bzImagePayload(image: Buffer): { format: string; data: Buffer; size?: number } {
  if (image.length < 0x250 || image.readUInt32LE(0x202) !== 0x53726448)
    throw new Error('not a bzImage (no "HdrS" boot header)');
  if (image.readUInt16LE(0x206) < 0x208) throw new Error('bzImage boot protocol older than 2.08: no payload fields');
  const setupSectors = image[0x1f1] || 4;
  const start = (setupSectors + 1) * 512 + image.readUInt32LE(0x248);
  const length = image.readUInt32LE(0x24c);
  if (start + length > image.length) throw new Error('bzImage payload runs past the end of the file');
  const data = image.subarray(start, start + length);
  const f = FORMATS.find((x) => data.subarray(0, x.magic.length).equals(x.magic));
  if (!f)
    throw new Error(
      `bzImage payload compressed in a way this build does not unpack (${data.subarray(0, 6).toString('hex')})`,
    );
  if (!f.trailer) return { format: f.name, data };
  return { format: f.name, data: data.subarray(0, length - 4), size: data.readUInt32LE(length - 4) };
}

/** Writes the bzImage's kernel as a gzipped ELF to `out`; returns the payload's format. */
export async function writeVmlinuxGz(bzImage: string, out: string, work: string): Promise<string> {
  const payload = bzImagePayload(await readFile(bzImage));
  const f = FORMATS.find((x) => x.name === payload.format)!;
  const packed = join(work, 'vmlinux.payload');
  const elf = join(work, 'vmlinux');
  await writeFile(packed, payload.data);
  await check(['sh', '-c', `${sh(...f.unpack)} < ${shq(packed)} > ${shq(elf)}`]);
  const magic = Buffer.alloc(4);
  const size = await open(elf).then(async (h) => {
    try {
      await h.read(magic, 0, 4, 0);
      return (await h.stat()).size;
    } finally {
      await h.close();
    }
  });
  if (!magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])))
    throw new Error(`${bzImage}: its payload is not an ELF kernel`);
  if (payload.size !== undefined && payload.size !== size)
    throw new Error(`${bzImage}: unpacked ${size} bytes, the image says ${payload.size}`);
  await check(['sh', '-c', `gzip -1 -c < ${shq(elf)} > ${shq(out)}`]);
  return payload.format;
}
