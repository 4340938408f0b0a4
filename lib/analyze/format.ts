// Human output of `iommu-lab analyze`: the headline facts, then findings with their remedy.
import type { Iperf3Result } from '../net/iperf3.ts';
import type { InputReport } from './analyze.ts';
import { implausibleIperf3 } from './iperf3-sanity.ts';

const show = (v: unknown) => (v === null || v === undefined ? '?' : String(v));

/** `label`: which boot of the input this is ("boot 2, lines 310–622"), when it holds several. */
export function formatReport(r: InputReport, label?: string): string {
  const f = r.facts;
  const what = r.kinds.length ? r.kinds.join(', ') : 'no known content';
  const out = [`== ${r.source}${label ? `, ${label}` : ''} (${what})`];
  out.push(
    `   Xen ${show(f.xenVersion)} | IOMMU ${f.iommu} | interrupt remapping ${show(f.interruptRemapping)} | IVRS ${show(f.ivrs)} | firmware ${show(f.firmwareVersion)}`,
  );
  const ip = f.iperf3 as Iperf3Result | undefined;
  if (ip) out.push(`   ${iperfLine(ip)}`);
  if (r.findings.length === 0) out.push('   no findings');
  for (const x of r.findings) {
    const where = x.line ? ` (line ${x.line}${x.count > 1 ? `, ${x.count} times` : ''})` : '';
    out.push(`   ${x.severity.toUpperCase()} ${x.code}${where}: ${x.message}`);
    if (x.text) out.push(`      > ${x.text}`);
    out.push(`      remedy: ${x.remedy}`);
  }
  return out.join('\n');
}

const mbit = (bps: number | null) => (bps === null ? '?' : `${(bps / 1e6).toFixed(1)} Mbit/s`);

/** "iperf3 TCP -R: received 96.2 Mbit/s, sent 97.0 Mbit/s, 12 retransmits in 10.0 s" */
function iperfLine(i: Iperf3Result): string {
  if (i.error) return `iperf3 error: ${i.error}`;
  if (implausibleIperf3(i)) return `iperf3 figures implausible (see below), not a measurement`;
  const what = `iperf3 ${i.protocol ?? ''}${i.reverse ? ' -R' : ''}`.trim();
  const extra = [
    i.retransmits !== null ? `${i.retransmits} retransmits` : '',
    i.lostPercent !== null ? `${i.lostPercent}% lost` : '',
    i.jitterMs !== null ? `jitter ${i.jitterMs} ms` : '',
  ].filter(Boolean);
  const secs = i.seconds !== null ? ` in ${i.seconds.toFixed(1)} s` : '';
  return `${what}: received ${mbit(i.receivedBitsPerSecond)}, sent ${mbit(i.sentBitsPerSecond)}${extra.length ? `, ${extra.join(', ')}` : ''}${secs}`;
}
