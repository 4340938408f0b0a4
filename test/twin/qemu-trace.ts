// QEMU's own account of the twin's IOMMU: a wrapper that adds `-trace amdvi_translation_result`
// to the twin's QEMU (IOMMU_LAB_QEMU), and a counter of translations per requester ID.
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Writes the wrapper into dir; the env to run the twin with it, tracing into traceFile. */
export function tracingQemu(dir: string, traceFile: string): NodeJS.ProcessEnv {
  const wrapper = join(dir, 'qemu-traced');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec qemu-system-x86_64 -trace amdvi_translation_result -D ${JSON.stringify(traceFile)} "$@"\n`,
    { mode: 0o755 },
  );
  return { IOMMU_LAB_QEMU: wrapper };
}

/**
 * Translations per device ID ("02:00.0") in a trace. QEMU 7.2 hw/i386/trace-events:
 * amdvi_translation_result "devid: %02x:%02x.%x gpa 0x%"PRIx64" hpa 0x%"PRIx64
 */
export async function translationsByDevice(traceFile: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const lines = createInterface({ input: createReadStream(traceFile), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const m = /amdvi_translation_result devid: ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7])/.exec(line);
    if (m) counts[m[1]!] = (counts[m[1]!] ?? 0) + 1;
  }
  return counts;
}
