// Why a test was skipped (the bench broken, the rig lacking what a suite needs), kept on mocha's
// own objects for every report: Allure, JUnit and summary.json all say it. Keyed by the runnable
// and suite objects of one mocha instance, so two runs never see each other's reasons.
const reasons = new WeakMap<object, string>();

/** Skipped for a cause (bench broken, capability missing): the reason is kept for every report. */
export function recordSkipReason(where: Mocha.Runnable | undefined, reason: string): void {
  if (!where) return;
  // A skip in a hook skips the whole suite: every test in it inherits the reason.
  reasons.set((where as { type?: string }).type === 'hook' && where.parent ? where.parent : where, reason);
}

export function skipReason(t: Mocha.Runnable): string | undefined {
  for (let at: object | undefined = t; at; at = (at as Mocha.Runnable | Mocha.Suite).parent) {
    const r = reasons.get(at);
    if (r) return r;
  }
  return undefined;
}
