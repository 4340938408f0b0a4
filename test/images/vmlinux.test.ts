// The PV kernel unpacked from a bzImage: built bzImages with an xz, zstd or gzip payload (the
// kernel build's layout: setup sectors, payload_offset/payload_length, the unpacked size after
// an xz or zstd stream) come out as the same ELF, gzipped; a wrong one is refused.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { check } from '../../lib/core/exec.ts';
import { shq } from '../../lib/core/quote.ts';
import { bzImagePayload, writeVmlinuxGz } from '../../lib/images/vmlinux.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(100_000, 0x90)]);

async function compress(tool: string, data: Buffer, dir: string): Promise<Buffer> {
  const raw = join(dir, 'elf');
  const packed = join(dir, 'elf.packed');
  writeFileSync(raw, data);
  await check(['sh', '-c', `${tool} < ${shq(raw)} > ${shq(packed)}`]);
  return readFileSync(packed);
}

/** A bzImage as the kernel build lays it out: 1 setup sector + the boot sector, then the payload. */
function bzImage(payload: Buffer, sizeTrailer?: number): Buffer {
  const body = sizeTrailer === undefined ? payload : Buffer.concat([payload, u32(sizeTrailer)]);
  const head = Buffer.alloc(2 * 512);
  head[0x1f1] = 1;
  head.writeUInt32LE(0x53726448, 0x202);
  head.writeUInt16LE(0x20f, 0x206);
  head.writeUInt32LE(64, 0x248);
  head.writeUInt32LE(body.length, 0x24c);
  return Buffer.concat([head, Buffer.alloc(64, 0xcc), body, Buffer.alloc(300, 0xee)]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

describe('images/vmlinux', () => {
  for (const [format, tool, trailer] of [
    ['xz', 'xz -c --check=crc32', true],
    ['zstd', 'zstd -c -q', true],
    ['gzip', 'gzip -c', false],
  ] as const) {
    it(`unpacks a ${format} payload to the same ELF, gzipped`, async () => {
      const dir = tempDir('vmlinux-');
      const image = join(dir, 'vmlinuz');
      writeFileSync(image, bzImage(await compress(tool, ELF, dir), trailer ? ELF.length : undefined));
      const out = join(dir, 'vmlinux.gz');
      assert.equal(await writeVmlinuxGz(image, out, dir), format);
      assert.ok(gunzipSync(readFileSync(out)).equals(ELF));
    });
  }

  it('refuses an unpacked size other than the one the image gives', async () => {
    const dir = tempDir('vmlinux-');
    const image = join(dir, 'vmlinuz');
    writeFileSync(image, bzImage(await compress('xz -c --check=crc32', ELF, dir), ELF.length + 1));
    await assert.rejects(
      writeVmlinuxGz(image, join(dir, 'out.gz'), dir),
      /unpacked 100007 bytes, the image says 100008/,
    );
  });

  it('refuses a payload that is not an ELF kernel', async () => {
    const dir = tempDir('vmlinux-');
    const image = join(dir, 'vmlinuz');
    const notElf = Buffer.alloc(5000, 0x41);
    writeFileSync(image, bzImage(await compress('gzip -c', notElf, dir)));
    await assert.rejects(writeVmlinuxGz(image, join(dir, 'out.gz'), dir), /not an ELF kernel/);
  });

  it('refuses what is not a bzImage, or compressed in an unknown way', () => {
    assert.throws(() => bzImagePayload(Buffer.alloc(4096)), /not a bzImage/);
    assert.throws(() => bzImagePayload(bzImage(Buffer.from('LZ4?????'))), /does not unpack/);
  });
});
