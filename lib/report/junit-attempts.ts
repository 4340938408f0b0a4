// A retried CI job (Jenkins retries a lab problem, exit 2, once) keeps both attempts; its JUnit
// says what the first one did, the way Surefire reports reruns, so a test that failed and then
// passed shows as flaky instead of vanishing: on each test of the last attempt that failed or
// broke in the earlier one, a <flakyFailure>/<flakyError> (passed now) or <rerunFailure>/
// <rerunError> (failed again), with the earlier message. Jenkins' JUnit plugin reads all four;
// the Jenkins xUnit junit-10.xsd allows them (test/fixtures/junit/).
import type { RunSummary } from './summary-schema.ts';

const esc = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
const unesc = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);

/** Says which attempt the element came from; also what makes folding twice a no-op. */
const FROM = 'earlier attempt: ';

type Earlier = Pick<RunSummary['tests'][number], 'suite' | 'title' | 'state' | 'message' | 'code'>;

/**
 * The last attempt's JUnit (as junit.ts wrote it: one <testcase> per line) with the earlier
 * attempt's failures folded in. `where` names the earlier attempt (its folder). Returns the XML
 * and how many testcases it changed.
 */
export function foldEarlierAttempt(
  xml: string,
  earlier: { tests: readonly Earlier[] },
  where: string,
): { xml: string; folded: number } {
  const failedBefore = new Map(
    earlier.tests
      .filter((t) => t.state === 'failed' || t.state === 'broken')
      .map((t) => [`${t.suite}\0${t.title}`, t] as const),
  );
  let folded = 0;
  const lines = xml.split('\n').map((line) => {
    const m = /^(\s*<testcase classname="([^"]*)" name="([^"]*)"[^>]*?)(\/>|>(.*)<\/testcase>)$/.exec(line);
    if (!m || line.includes(esc(FROM))) return line;
    const before = failedBefore.get(`${unesc(m[2]!)}\0${unesc(m[3]!)}`);
    if (!before) return line;
    const inner = m[5] ?? '';
    const now = /^<(failure|error) /.exec(inner) ? 'rerun' : /^<skipped/.test(inner) ? undefined : 'flaky';
    if (!now) return line;
    const kind = `${now}${before.state === 'failed' ? 'Failure' : 'Error'}`;
    const message = before.message ?? '';
    const element = `<${kind} message="${esc(message.split('\n')[0] ?? '')}" type="${esc(before.code ?? before.state)}"><stackTrace>${esc(message)}</stackTrace><system-out>${esc(FROM + where)}</system-out></${kind}>`;
    folded++;
    // After the outcome element, before the test's own system-out (the schema takes any order).
    const at = inner.search(/<system-out>|$/);
    return `${m[1]}>${inner.slice(0, at)}${element}${inner.slice(at)}</testcase>`;
  });
  return { xml: lines.join('\n'), folded };
}
