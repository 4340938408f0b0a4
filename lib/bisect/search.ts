// Firmware bisect over an ordered list of builds whose first is known good and last known bad:
// test the midpoint of what is still unknown, keep the half that holds the first bad build.
// A build that cannot be tested (the lab broke twice, the image was refused) is never counted
// as bad: like `git bisect skip`, the search tries its nearest untested neighbour instead.

export type BuildVerdict = 'good' | 'bad' | 'untestable';

export interface BisectStep {
  index: number;
  verdict: BuildVerdict;
}

export interface BisectOutcome {
  /** Index of the first bad build; undefined when untestable builds hide it. */
  firstBad?: number;
  /** Index of the last good build next to it. */
  lastGood?: number;
  /** When untestable builds sit between lastGood and firstBad: the candidates left. */
  candidates: number[];
  tested: BisectStep[];
}

export async function bisect(count: number, test: (index: number) => Promise<BuildVerdict>): Promise<BisectOutcome> {
  if (count < 2) throw new Error('bisect needs at least two builds: the first known good, the last known bad');
  let good = 0;
  let bad = count - 1;
  const tested: BisectStep[] = [];
  const untestable = new Set<number>();
  for (;;) {
    const open = range(good + 1, bad).filter((i) => !untestable.has(i));
    if (!open.length) break;
    const index = nearest(open, Math.floor((good + bad) / 2));
    const verdict = await test(index);
    tested.push({ index, verdict });
    if (verdict === 'good') good = index;
    else if (verdict === 'bad') bad = index;
    else untestable.add(index);
  }
  const between = range(good + 1, bad);
  if (between.length) return { lastGood: good, candidates: [...between, bad], tested };
  return { firstBad: bad, lastGood: good, candidates: [bad], tested };
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

function nearest(open: number[], mid: number): number {
  return open.reduce((best, i) => (Math.abs(i - mid) < Math.abs(best - mid) ? i : best), open[0]!);
}
