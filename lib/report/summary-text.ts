// The summary as the console shows it at the end of a run: the verdict line first (rig, flavour,
// time, exit code), then firmware, Xen, images, one line per suite, measurements, boot stages,
// and each problem once (tests a failed set-up kept from running are counted, not listed).
import { relative } from 'node:path';
import type { TestState } from '../core/exit-code.ts';
import { formatMeasurement } from './measurements.ts';
import type { RunSummary } from './summary-schema.ts';

export function formatSummary(s: RunSummary, runDirRoot: string): string {
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  const mark: Record<TestState, string> = { passed: 'PASS', failed: 'FAIL', broken: 'BROKEN', skipped: 'SKIP' };
  const out = [
    '',
    `iommu-lab: ${s.verdict.toUpperCase()} on rig ${s.rig}${s.firmware.flavour ? ` (${s.firmware.flavour} ${s.firmware.version ?? '?'})` : ''} in ${(s.durationMs / 1000).toFixed(0)} s (exit ${s.exitCode})${s.interrupted ? `, interrupted by ${s.interrupted}` : ''}`,
  ];
  const fw = s.firmware;
  if (fw.version || fw.sha256)
    out.push(
      `  firmware: ${fw.version ?? 'unknown version'}${fw.sha256 ? ` sha256 ${fw.sha256.slice(0, 16)}…` : ' (as found on the board)'}`,
    );
  if (s.platform.xenVersion || s.platform.dom0Kernel)
    out.push(`  Xen ${s.platform.xenVersion ?? '?'}, dom0 kernel ${s.platform.dom0Kernel ?? '?'}`);
  if (s.images)
    out.push(
      `  images: ${s.images.key} (Xen ${s.images.xenVersion}, dom0 ${s.images.dom0Kernel}${s.images.imageHash ? `, sha256 ${s.images.imageHash.slice(0, 16)}…` : ''})`,
    );
  for (const [name, v] of Object.entries(s.suites))
    out.push(
      `  ${mark[v.verdict].padEnd(6)} ${name.padEnd(22)} ${v.passed}/${v.tests} passed${v.skipped ? `, ${v.skipped} skipped` : ''}`,
    );
  if (s.measurements.length) out.push('  measurements:');
  for (const m of s.measurements) out.push(`    ${m.suite}: ${formatMeasurement(m)}`);
  const t = s.boot?.timings ?? [];
  if (t.length)
    out.push(
      `  boot: ${t
        .filter((x) => x.boot === 1)
        .map((x) => `${x.stage} ${(x.ms / 1000).toFixed(1)}s`)
        .join(
          ', ',
        )}${t.at(-1)!.boot > 1 ? ` (+${t.at(-1)!.boot - 1} more boots)` : ''}${s.boot!.hangs.length ? `; ${s.boot!.hangs.length} hang(s)` : ''}`,
    );
  // Tests a failed set-up kept from running share one cause: said once, with how many.
  const notRun = new Map<string, RunSummary['problems']>();
  for (const p of s.problems) {
    const first = p.message.split('\n')[0]!;
    if (!first.startsWith('not run: ')) {
      out.push(`  ${mark[p.state]}: ${p.suite} › ${p.test}${p.code ? ` [${p.code}]` : ''}: ${first}`);
      continue;
    }
    notRun.set(`${p.state}\0${first}`, [...(notRun.get(`${p.state}\0${first}`) ?? []), p]);
  }
  for (const [key, ps] of notRun) {
    const suites = [...new Set(ps.map((p) => p.suite))].join(', ');
    const code = ps[0]!.code ? ` [${ps[0]!.code}]` : '';
    out.push(
      `  ${mark[ps[0]!.state]}: ${ps.length} test${ps.length > 1 ? 's' : ''} (${suites})${code} ${key.split('\0')[1]}`,
    );
  }
  const dir = rel(runDirRoot);
  out.push(`  report: ${dir} (summary.json, junit.xml, console.log; \`iommu-lab report --dir ${dir}\` for HTML)`);
  return out.join('\n');
}
