// The shape of the code, checked on every `npm test`: no file or folder imports something that
// imports it back, real-bench code never names the twin, and whoever may name it comes in by
// its front door. A failure prints the offending cycles and import lines, shortest first.
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGraph, type Cycle, cycles, folderEdges, formatCycle } from './import-graph.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const graph = buildGraph(ROOT, ['lib', 'flash', 'twin', 'suites', 'rigs', 'benchmarks']);
/** The tests too, for who names the twin and how (no cycle rules for them). */
const withTests = buildGraph(ROOT, ['lib', 'flash', 'twin', 'suites', 'rigs', 'benchmarks', 'test']);

/** The twin's one front door: outside twin/, no other twin module is named. */
const TWIN_DOOR = 'twin/index.ts';

/** Who may import from twin/ at all: the twin itself, its rig, its CLI command and the one provider. */
const MAY_IMPORT_TWIN: (string | RegExp)[] = [
  /^twin\//,
  /^rigs\/apu2-twin.*\.ts$/,
  'lib/cli/commands/twin.ts',
  'lib/bench/twin-provider.ts',
  // Measures the twin itself against a bare QEMU boot of it (like test/twin/), not a bench user.
  'benchmarks/twin-boot.bench.ts',
];
const mayImportTwin = (f: string) => MAY_IMPORT_TWIN.some((a) => (typeof a === 'string' ? a === f : a.test(f)));

/**
 * Who may reach past the door: the twin's own tests, which test its parts (test/twin-unit/
 * mirrors twin/ file by file, test/twin/ boots its images and daemon by hand).
 */
const mayReachInside = (f: string) => /^twin\//.test(f) || /^test\/twin(-unit)?\//.test(f);

/** For a folder cycle, the file imports that make each of its folder edges. */
function explainFolderCycle(c: Cycle): string {
  const lines = [formatCycle(c)];
  for (let i = 0; i + 1 < c.loop.length; i++) {
    const [a, b] = [c.loop[i], c.loop[i + 1]];
    const why = [...graph.edges].flatMap(([f, tos]) =>
      dirname(f) === a ? [...tos].filter((t) => dirname(t) === b).map((t) => `${f} → ${t}`) : [],
    );
    lines.push(...why.map((w) => `      ${w}`));
  }
  return lines.join('\n');
}

const report = (title: string, items: string[]) => `${title}:\n${items.map((i) => `  ${i}`).join('\n')}`;

function twinImports(): string[] {
  return [...graph.edges].flatMap(([f, tos]) =>
    mayImportTwin(f) ? [] : [...tos].filter((t) => t.startsWith('twin/')).map((t) => `${f} → ${t}`),
  );
}

/**
 * Who may use flash/ (getting a coreboot build onto a board): the CLI and the run, and the
 * benchmarks. flash/ itself uses only lib/.
 */
const MAY_IMPORT_FLASH = [/^flash\//, /^lib\/cli\//, /^lib\/run\//, /^benchmarks\//];
const mayImportFlash = (f: string) => MAY_IMPORT_FLASH.some((a) => a.test(f));

/** Imports of a twin module other than its front door from outside twin/ (tests included). */
function pastTheDoor(): string[] {
  return [...withTests.edges].flatMap(([f, tos]) =>
    mayReachInside(f) ? [] : [...tos].filter((t) => t.startsWith('twin/') && t !== TWIN_DOOR).map((t) => `${f} → ${t}`),
  );
}

describe('architecture: imports', () => {
  it('keeps flash/ above lib/: it uses only lib/, and only the CLI and the run use it', () => {
    const edges = [...graph.edges];
    assert.ok(
      edges.some(([f]) => f.startsWith('flash/')),
      'no flash/ files in the graph',
    );
    const down = edges.flatMap(([f, tos]) =>
      f.startsWith('flash/') ? [...tos].filter((t) => !/^(lib|flash)\//.test(t)).map((t) => `${f} → ${t}`) : [],
    );
    assert.deepEqual(down, [], report('flash/ importing outside lib/', down));
    const up = edges.flatMap(([f, tos]) =>
      mayImportFlash(f) ? [] : [...tos].filter((t) => t.startsWith('flash/')).map((t) => `${f} → ${t}`),
    );
    assert.deepEqual(up, [], report('imports of flash/ from below it', up));
  });

  it('reads a plausible graph, every relative import resolving to a file', () => {
    assert.ok(graph.files.length > 150, `only ${graph.files.length} files found under ${ROOT}`);
    assert.ok(graph.edges.get('lib/cli/main.ts')?.size, 'lib/cli/main.ts imports nothing?');
    assert.deepEqual(
      graph.unresolved.map((u) => `${u.from}: ${u.spec}`),
      [],
      'imports of missing files',
    );
  });

  it('has no file cycle: no two files import each other, directly or through others', () => {
    const found = cycles(graph.edges);
    assert.equal(found.length, 0, report('file cycles', found.map(formatCycle)));
  });

  it('has no folder cycle', () => {
    const found = cycles(folderEdges(graph));
    assert.equal(found.length, 0, report('folder cycles', found.map(explainFolderCycle)));
  });

  it('keeps the twin out of real-bench code: only its provider, its rig and its CLI command name it', () => {
    const found = twinImports();
    assert.equal(found.length, 0, report('imports of twin/ from outside it', found));
  });

  it(`names no twin module but ${TWIN_DOOR} outside twin/ (the twin's own tests excepted)`, () => {
    assert.ok(withTests.edges.get('test/cli/commands/twin.test.ts')?.has(TWIN_DOOR), 'the test graph misses tests');
    const found = pastTheDoor();
    assert.equal(found.length, 0, report(`imports of twin/ past ${TWIN_DOOR}`, found));
  });
});
