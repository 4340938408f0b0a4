import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildGraph, cycles, folderEdges, formatCycle, parseImports } from './import-graph.ts';

const specs = (src: string) => parseImports(src).map((r) => r.spec);

describe('architecture/import-graph', () => {
  it('finds static, re-export, side-effect, dynamic and type-only imports', () => {
    const refs = parseImports(`
      import a, { b } from './a.ts';
      import type { T } from "../t.ts";
      export { c } from './c.ts';
      export * from './star.ts';
      export type { U } from './u.ts';
      import './side.ts';
      const m = await import('./lazy.ts');
      let s: import('./in-type.ts').S;
      import {
        x,
        type y,
      } from './multi.ts';
    `);
    assert.deepEqual(
      refs.map((r) => [r.spec, r.typeOnly, r.dynamic]),
      [
        ['./a.ts', false, false],
        ['../t.ts', true, false],
        ['./c.ts', false, false],
        ['./star.ts', false, false],
        ['./u.ts', true, false],
        ['./side.ts', false, false],
        ['./lazy.ts', false, true],
        ['./in-type.ts', true, true],
        ['./multi.ts', false, false],
      ],
    );
  });

  it('is not fooled by comments, strings, templates and regex literals', () => {
    const src = [
      "// import x from './comment.ts';",
      "/* import('./block.ts') */",
      'const s = "import y from \'./string.ts\'";',
      "const re = /from '[^']*'/g; import { real } from './after-regex.ts';",
      'const q = a / b; const r = /\\/\\/ not a comment/; import "./after-division.ts";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test, not a template
      "const t = `import z from './template.ts' ${await import('./in-template.ts')}`;",
      "const u = x.import('./method.ts');",
    ].join('\n');
    assert.deepEqual(specs(src), ['./after-regex.ts', './after-division.ts', './in-template.ts']);
  });

  describe('on a file tree', () => {
    let root = '';
    const write = (files: Record<string, string>) => {
      for (const [f, src] of Object.entries(files)) {
        mkdirSync(dirname(join(root, f)), { recursive: true });
        writeFileSync(join(root, f), src);
      }
    };
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'import-graph-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('finds a file cycle through three files and names the missing imports', () => {
      write({
        'src/a.ts': "import './b.ts';",
        'src/b.ts': "import { c } from './deep/c.ts';",
        'src/deep/c.ts': "import type { A } from '../a.ts'; import '../gone.ts'; import 'node:fs';",
        'src/d.ts': "import './a.ts';",
      });
      const g = buildGraph(root, ['src']);
      assert.deepEqual(g.unresolved, [{ from: 'src/deep/c.ts', spec: '../gone.ts' }]);
      assert.deepEqual(cycles(g.edges).map(formatCycle), ['src/a.ts → src/b.ts → src/deep/c.ts → src/a.ts']);
    });

    it('finds a folder cycle between a folder and its sub-folder, and none when the files only go down', () => {
      write({ 'src/top.ts': "import './sub/leaf.ts';", 'src/sub/leaf.ts': "import '../base.ts';", 'src/base.ts': '' });
      const looped = cycles(folderEdges(buildGraph(root, ['src'])));
      assert.deepEqual(looped.map(formatCycle), ['src → src/sub → src']);
      write({ 'src/sub/leaf.ts': "import '../base/base.ts';", 'src/base/base.ts': '' });
      rmSync(join(root, 'src/base.ts'));
      assert.deepEqual(cycles(folderEdges(buildGraph(root, ['src']))), []);
    });

    it('shows the whole circle when it is bigger than the shortest loop', () => {
      write({
        'src/a.ts': "import './b.ts'; import './c.ts';",
        'src/b.ts': "import './a.ts';",
        'src/c.ts': "import './b.ts';",
      });
      assert.deepEqual(cycles(buildGraph(root, ['src']).edges).map(formatCycle), [
        'src/a.ts → src/b.ts → src/a.ts   (same circle: src/c.ts)',
      ]);
    });
  });
});
