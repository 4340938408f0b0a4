// The inputs the equivalence test (golden.test.ts) holds `analyze` to, and how their reports are
// taken: every text log fixture, plus a transcript of several boots built from them (boot
// splitting, per-boot facts), each read in small chunks so every line crosses a chunk edge
// somewhere. `UPDATE_GOLDEN=1 npx tsx test/analyze/golden.ts` rewrites the golden files; do it
// only with code whose answers are known right (they were first written by the pre-#26 reader).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { looksBinary } from '../../lib/analyze/read-input.ts';
import { analyzeStream, type BootReport } from '../../lib/analyze/stream.ts';

const logs = fileURLToPath(new URL('../fixtures/logs/', import.meta.url));
export const goldenDir = fileURLToPath(new URL('../fixtures/analyze-golden/', import.meta.url));

/** Name → bytes of every input with a golden report. */
export function goldenInputs(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(logs).sort()) {
    if (name === 'README.md') continue;
    const buf = readFileSync(join(logs, name));
    if (looksBinary(buf) || buf.toString('latin1').trim() === '') continue;
    out.set(name, buf);
  }
  // Several boots in one transcript, some CRLF: firmware → Xen → errors, repeated with variants.
  const pick = (n: string) => out.get(n) ?? Buffer.alloc(0);
  const soak = Buffer.concat([
    pick('apu2-v4.10.0.2-release.serial.log'),
    pick('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log'),
    pick('blog-no-iommu.log'),
    pick('twin-4.17-no-iommu.serial.log'),
    Buffer.from(pick('twin-4.20-captured-iommu-on.serial.log').toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
    pick('xen-io-page-fault-4.13-vs-4.14.xl-dmesg.log'),
    pick('dasharo-coreboot-592-xen-4.20-ioapic-crash.xen.log'),
    pick('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log'),
    pick('libxl-4.17-pci-not-assignable.log'),
  ]);
  out.set('soak-transcript.log', soak);
  return out;
}

/** The boots analyze reports for `buf`, read in `chunk`-byte pieces (small windows: parts too). */
export async function reportsOf(buf: Buffer, chunk = 4093, windowBytes?: number): Promise<BootReport[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  const out: BootReport[] = [];
  await analyzeStream(Readable.from(chunks), 'in', { name: 'in', windowBytes }, (r) => out.push(r));
  return out;
}

/** What is compared: every boot's lines, kinds, facts and findings, as the JSON analyze prints. */
export async function goldenText(buf: Buffer): Promise<string> {
  const whole = await reportsOf(buf);
  // A window far smaller than a boot: the parts of a flooded boot are held to the same answers.
  const parts = await reportsOf(buf, 977, 16 * 1024);
  return `${JSON.stringify({ boots: whole, windowed16KiB: parts }, null, 1)}\n`;
}

if (process.env.UPDATE_GOLDEN === '1' && process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, buf] of goldenInputs()) writeFileSync(join(goldenDir, `${name}.json`), await goldenText(buf));
}
