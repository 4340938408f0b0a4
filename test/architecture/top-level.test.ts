// The top level the design card names, present and named by the README's layout section: the
// rooms a firmware engineer opens (suites, rigs, flash) beside the framework (lib).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DESIGN_CARD = ['package.json', 'suites', 'lib', 'rigs', 'flash', '.mocharc.json'];

describe('architecture: the top level', () => {
  it('has the six entries of the design card, and the README layout names each', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
    assert.ok(layout.length > 200, 'README has no Layout section');
    for (const e of DESIGN_CARD) {
      assert.ok(existsSync(join(ROOT, e)), `${e} missing at the top level`);
      assert.match(layout, new RegExp(`^\\| \`${e.replace('.', '\\.')}/?\` \\|`, 'm'), `Layout does not name ${e}`);
    }
  });

  it('keeps the benchmarks apart from the hardware bench: no top-level bench/', () => {
    assert.ok(!existsSync(join(ROOT, 'bench')), 'bench/ is back: the benchmarks live in benchmarks/');
    assert.ok(existsSync(join(ROOT, 'benchmarks/index.ts')));
  });
});
