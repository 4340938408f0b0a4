// The guest-nic-traffic chart, attached to the test that judges the figures against the rig's
// threshold: every series measured (dom0 baseline, passthrough HVM/PV, PV netfront), tx then rx,
// and on each passthrough bar its threshold — the rig's ratio times the dom0 baseline that way.
import { type Bar, barChartSvg } from './bar-chart.ts';

const ORDER = ['dom0 baseline', 'passthrough hvm', 'passthrough pv', 'pv netfront'];

/** results: bits per second by series label ("passthrough hvm") and direction. */
export function throughputChart(results: Record<string, { tx: number; rx: number }>, ratio?: number): string {
  const labels = Object.keys(results).sort(
    (a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  const base = results['dom0 baseline'];
  const bars: Bar[] = (['tx', 'rx'] as const).flatMap((dir) =>
    labels.map((l) => {
      const judged = ratio !== undefined && base && base[dir] > 0 && l.startsWith('passthrough ');
      return {
        label: `${l} ${dir}`,
        value: results[l]![dir] / 1e6,
        ...(judged ? { threshold: (ratio * base[dir]) / 1e6 } : {}),
      };
    }),
  );
  return barChartSvg(
    'iperf3 throughput',
    'Mbit/s',
    bars,
    ratio === undefined ? undefined : `threshold: ${ratio} × the dom0 baseline`,
  );
}
