// What iperf3 figures cannot be: iperf3 computes each rate as bytes × 8 / seconds, so a rate that
// disagrees with its own bytes and seconds, a negative one, or one no link of this lab carries
// (over 1 Tbit/s; the apu2 has 1 GbE, a loopback test tens of Gbit/s) was edited or damaged.
import type { Iperf3Result } from '../net/iperf3.ts';

const MAX_BPS = 1e12;

/** Why the figures cannot be true, or null when they can. */
export function implausibleIperf3(i: Iperf3Result): string | null {
  const rates: [string, number | null][] = [
    ['received', i.receivedBitsPerSecond],
    ['sent', i.sentBitsPerSecond],
  ];
  for (const [what, bps] of rates) {
    if (bps === null) continue;
    if (bps < 0) return `the ${what} rate is negative (${bps} bit/s)`;
    if (bps > MAX_BPS)
      return `the ${what} rate is ${(bps / 1e9).toFixed(0)} Gbit/s, more than any link of the lab carries`;
  }
  if (i.seconds !== null && (i.seconds <= 0 || i.seconds > 1e7)) return `the measured time is ${i.seconds} s`;
  const bps = i.receivedBitsPerSecond;
  if (bps !== null && bps > 0 && i.bytesReceived !== null && i.seconds !== null && i.seconds > 0) {
    const fromBytes = (i.bytesReceived * 8) / i.seconds;
    if (fromBytes < bps * 0.9 || fromBytes > bps * 1.1)
      return `the received rate (${(bps / 1e6).toFixed(1)} Mbit/s) disagrees with its own ${i.bytesReceived} bytes in ${i.seconds} s (${(fromBytes / 1e6).toFixed(1)} Mbit/s)`;
  }
  if (bps !== null && i.sentBitsPerSecond !== null && i.sentBitsPerSecond >= 0 && bps > i.sentBitsPerSecond * 2 + 1)
    return 'the receiver counted more than twice what the sender sent';
  if (i.lostPercent !== null && (i.lostPercent < 0 || i.lostPercent > 100))
    return `${i.lostPercent}% of datagrams lost`;
  if (i.retransmits !== null && i.retransmits < 0) return `${i.retransmits} retransmits`;
  if (i.jitterMs !== null && i.jitterMs < 0) return `a jitter of ${i.jitterMs} ms`;
  return null;
}
