// Throughput of `analyze` on a large serial transcript (the real apu2 Xen log repeated, with
// the blog's libxl errors mixed in), and of the CLI's bounded reading. Figures only; no limits.
import { readFileSync } from 'node:fs';
import { analyzeText } from '../lib/analyze/analyze.ts';
import { diagnose } from '../lib/diagnose/table.ts';
import { parseXenLog } from '../lib/xen/xen-log.ts';

function corpus(targetBytes: number): string {
  const logs = new URL('../test/fixtures/logs/', import.meta.url);
  const boot = readFileSync(new URL('apu2-xen-4.8.3-iommu-enabled.xl-dmesg.log', logs), 'utf8');
  const err = readFileSync(new URL('blog-no-iommu.log', logs), 'utf8');
  const parts: string[] = [];
  let size = 0;
  while (size < targetBytes) {
    parts.push(boot, err);
    size += boot.length + err.length;
  }
  return parts.join('\n');
}

function time<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t0) / 1e6];
}

export async function run(): Promise<void> {
  for (const mb of [1, 16]) {
    const text = corpus(mb * 1024 * 1024);
    const lines = text.split('\n').length;
    const [, xenMs] = time(() => parseXenLog(text));
    const [findings, diagMs] = time(() => diagnose(text));
    const [, allMs] = time(() => analyzeText(text));
    const rate = (ms: number) => `${(text.length / 1024 / 1024 / (ms / 1000)).toFixed(1)} MiB/s`;
    console.log(
      `${mb} MiB, ${lines} lines: parseXenLog ${xenMs.toFixed(0)} ms (${rate(xenMs)}), diagnose ${diagMs.toFixed(0)} ms (${rate(diagMs)}, ${findings.length} codes), analyzeText ${allMs.toFixed(0)} ms (${rate(allMs)})`,
    );
  }
  console.log(`heap used after: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB`);
  console.log('reproduce: npm run bench -- analyze');
}
