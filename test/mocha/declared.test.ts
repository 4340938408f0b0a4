// Every test of every suite has a stable id, declared by its suite: unique, "<suite>/<id>", and
// no id left over for a title that no longer exists (a renamed title must take its id along).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Mocha from 'mocha';
import { declaredTests, declareSuites } from '../../lib/mocha/declared.ts';
import { discoverSuites } from '../../lib/mocha/suites.ts';
import { runDirPaths } from '../../lib/report/run-dir-layout.ts';
import { TEST_ID } from '../../lib/report/test-id.ts';
import { loadRigWithInput } from '../../lib/rig/load.ts';
import { defineSuite } from '../../lib/run/define-suite.ts';
import { Run } from '../../lib/run/run.ts';

describe('mocha/declared: the tests a run declares, with their stable ids', () => {
  it('every test of every suite has a unique id of its suite, and every declared id names a test', async () => {
    const suites = await discoverSuites();
    const run = new Run({
      rig: (await loadRigWithInput('apu2-rte')).rig,
      runDir: runDirPaths('/nonexistent'),
      keepOn: false,
      boots: 1,
    });
    const tests = declaredTests(suites, run);
    assert.ok(tests.length >= 20, `only ${tests.length} tests declared`);
    const missing = tests.filter((t) => !t.id).map((t) => `${t.suite}: "${t.title}"`);
    assert.deepEqual(missing, [], "tests without an id in their suite's ids");
    for (const t of tests) assert.match(t.id!, TEST_ID);
    for (const t of tests) assert.ok(t.id!.startsWith(`${t.suite}/`), t.id);
    const ids = tests.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length, 'two tests share an id');
    const stale = suites.flatMap((s) =>
      Object.keys(s.meta.ids ?? {})
        .filter((title) => !tests.some((t) => t.suite === s.meta.name && t.title === title))
        .map((title) => `${s.meta.name}: "${title}"`),
    );
    assert.deepEqual(stale, [], 'ids for titles no suite declares (renamed? take the id along)');
  });

  it('every test has a declared severity, every label names a test, and no hook is unnamed', async () => {
    const suites = await discoverSuites();
    const run = new Run({
      rig: (await loadRigWithInput('apu2-rte')).rig,
      runDir: runDirPaths('/nonexistent'),
      keepOn: false,
      boots: 1,
    });
    const mocha = new Mocha({ reporter: 'dot' });
    const tests = declareSuites(mocha, suites, run);
    const unlabelled = suites.flatMap((s) =>
      tests
        .filter((t) => t.suite === s.meta.name && !s.meta.labels?.[t.id!.slice(s.meta.name.length + 1)]?.severity)
        .map((t) => t.id),
    );
    assert.deepEqual(unlabelled, [], "tests without a severity in their suite's labels");
    const stale = suites.flatMap((s) =>
      Object.keys(s.meta.labels ?? {})
        .filter((k) => !tests.some((t) => t.id === `${s.meta.name}/${k}`))
        .map((k) => `${s.meta.name}/${k}`),
    );
    assert.deepEqual(stale, [], 'labels for an id no test has');
    for (const t of tests) assert.equal(t.description, suites.find((s) => s.meta.name === t.suite)!.meta.proves);
    type Hooked = Record<'_beforeAll' | '_afterAll' | '_beforeEach' | '_afterEach', Mocha.Hook[]>;
    const hooks = (s: Mocha.Suite): Mocha.Hook[] => {
      const h = s as unknown as Hooked;
      return [...h._beforeAll, ...h._afterAll, ...h._beforeEach, ...h._afterEach, ...s.suites.flatMap(hooks)];
    };
    const all = hooks(mocha.suite);
    assert.ok(all.length >= 6, `only ${all.length} hooks found`);
    const unnamed = all.filter((h) => !/" hook: \S/.test(h.title)).map((h) => `${h.parent?.title}: ${h.title}`);
    assert.deepEqual(unnamed, [], 'unnamed hooks: Allure shows them as "unnamed hook" under Set up / Tear down');
  });

  it("marks each test's function with its id, which the reports read", () => {
    const found = {
      ...defineSuite({ name: 'x', order: 1, proves: 'x', ids: { 'does a': 'a' } }, () => {
        describe('x', () => {
          it('does a', () => {});
          it('does b', () => {});
        });
      }),
      file: join(process.cwd(), 'suites', 'x.spec.ts'),
    };
    const run = {} as Run;
    const [a, b] = declaredTests([found], run);
    assert.equal(a?.id, 'x/a');
    assert.equal(a?.titlePath, 'x > does a');
    assert.equal(b?.id, undefined);
  });
});
