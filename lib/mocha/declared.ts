// The tests a run declares, before any runs: their suites' bodies declared on a mocha instance
// that never starts. Gives each test its stable id from its suite's `ids` (withId on its
// function, which the reports read), and lists them for `run --dry-run`.
import Mocha from 'mocha';
import { withId } from '../report/test-id.ts';
import type { Severity } from './define-suite.ts';
import type { FoundSuite } from './suites.ts';

export interface DeclaredTest {
  suite: string;
  title: string;
  /** Mocha's title path joined with " > ". */
  titlePath: string;
  /** "<suite>/<id>" from the suite's ids; undefined for a test it does not name. */
  id?: string;
  file: string;
  /** The suite's `proves`: the test's description in Allure. */
  description: string;
  severity: Severity;
  /** The suite's name, then the test's own tags. */
  tags: string[];
}

function testsUnder(s: Mocha.Suite): Mocha.Test[] {
  return [...s.tests, ...s.suites.flatMap(testsUnder)];
}

/** Declares the suites' bodies on `mocha` (as mocha does per loaded file) and marks their ids. */
export function declareSuites<R>(mocha: Mocha, suites: readonly FoundSuite<R>[], run: R): DeclaredTest[] {
  const out: DeclaredTest[] = [];
  for (const s of suites) {
    const before = new Set(mocha.suite.suites);
    // What mocha does per loaded file: BDD globals bound to this file, then the file's body.
    mocha.suite.emit('pre-require', globalThis, s.file, mocha);
    s.body(run);
    for (const top of mocha.suite.suites.filter((x) => !before.has(x)))
      for (const t of testsUnder(top)) {
        const name = s.meta.ids?.[t.title];
        const id = name === undefined ? undefined : `${s.meta.name}/${name}`;
        if (id && t.fn) withId(id, t.fn);
        const labels = (name !== undefined && s.meta.labels?.[name]) || {};
        out.push({
          suite: s.meta.name,
          title: t.title,
          titlePath: t.titlePath().join(' > '),
          id,
          file: s.file,
          description: s.meta.proves,
          severity: labels.severity ?? 'normal',
          tags: [...new Set([s.meta.name, ...(labels.tags ?? [])])],
        });
      }
  }
  return out;
}

/** The tests these suites declare for this run, with their ids; nothing runs, nothing is opened. */
export function declaredTests<R>(suites: readonly FoundSuite<R>[], run: R): DeclaredTest[] {
  return declareSuites(new Mocha({ reporter: 'dot' }), suites, run);
}
