// Stable test ids: an explicit id per test, given where the test is declared, so that a renamed
// title or a moved file keeps its history (Allure's ALLURE_ID and history, summary.json's id,
// `run --rerun-failed`). Without one, the id is made from the suite and title (collect.ts).

/** "<suite>/<name>": lower case, digits and dashes; the suite part is the suite's name. */
export const TEST_ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9.-]*$/;

// From the global registry: tsx may load this module twice.
const KEY = Symbol.for('iommu-lab.test-id');

/** The test function, marked with its id: `it('title', withId('firmware/banner-board', fn))`. */
export function withId<F extends (...a: never[]) => unknown>(id: string, fn: F): F {
  if (!TEST_ID.test(id)) throw new Error(`test id "${id}" is not "<suite>/<name>" in lower case`);
  Object.defineProperty(fn, KEY, { value: id });
  return fn;
}

/** The id a test was declared with, if any. */
export function explicitId(t: { fn?: unknown }): string | undefined {
  const v = typeof t.fn === 'function' ? (t.fn as unknown as Record<symbol, unknown>)[KEY] : undefined;
  return typeof v === 'string' ? v : undefined;
}
