// Human output of `iommu-lab analyze`: the headline facts, then findings with their remedy.
import type { InputReport } from './analyze.ts';

const show = (v: unknown) => (v === null || v === undefined ? '?' : String(v));

export function formatReport(r: InputReport): string {
  const f = r.facts;
  const out = [`== ${r.source} (${r.kinds.length ? r.kinds.join(', ') : 'no known content'})`];
  out.push(
    `   Xen ${show(f.xenVersion)} | IOMMU ${f.iommu} | interrupt remapping ${show(f.interruptRemapping)} | IVRS ${show(f.ivrs)} | firmware ${show(f.firmwareVersion)}`,
  );
  if (r.findings.length === 0) out.push('   no findings');
  for (const x of r.findings) {
    const where = x.line ? ` (line ${x.line}${x.count > 1 ? `, ${x.count} times` : ''})` : '';
    out.push(`   ${x.severity.toUpperCase()} ${x.code}${where}: ${x.message}`);
    if (x.text) out.push(`      > ${x.text}`);
    out.push(`      remedy: ${x.remedy}`);
  }
  return out.join('\n');
}
