// The catalogue is closed and true: every code in it is raised somewhere (or marked reserved and
// raised nowhere yet), and docs/error-codes.md is the table rendered from it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CodeInfo, codeInfo, ERROR_CODES } from '../../lib/core/error-codes.ts';
import { DOC_PATH, renderErrorCodesDoc } from '../../lib/core/error-codes-doc.ts';
import { RigError, rigErrorLine } from '../../lib/core/errors.ts';
import { PROJECT_ROOT } from '../../lib/core/paths.ts';
import { DIAGNOSES } from '../../lib/diagnose/table.ts';

const CATALOGUE = join(PROJECT_ROOT, 'lib/core/error-codes.ts');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath, d.name))
    .filter((f) => f !== CATALOGUE);
}

describe('core/error-codes', () => {
  const entries = Object.entries(ERROR_CODES) as [string, CodeInfo][];

  it('docs/error-codes.md is up to date (regenerate with `npm run docs`)', () => {
    assert.equal(readFileSync(DOC_PATH, 'utf8'), renderErrorCodesDoc());
  });

  it('every code is raised in lib/, flash/, twin/ or suites/, unless reserved; reserved ones are not yet', () => {
    const text = ['lib', 'flash', 'twin', 'suites']
      .flatMap((d) => sources(join(PROJECT_ROOT, d)))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const used = new Set(text.match(/'[A-Z][A-Z0-9_]+'/g)?.map((q) => q.slice(1, -1)));
    const unused = entries.filter(([c, i]) => !i.reserved && !used.has(c)).map(([c]) => c);
    const raised = entries.filter(([c, i]) => i.reserved && used.has(c)).map(([c]) => c);
    assert.deepEqual(unused, [], 'in the catalogue but raised nowhere');
    assert.deepEqual(raised, [], 'raised now: drop `reserved` from these');
  });

  it('a RigError takes its part from the catalogue; a code several parts raise may name its own', () => {
    const e = new RigError('flasher.where is "ssh" but flasher.controller is not set', { code: 'RIG_FLASHER' });
    assert.equal(e.part, 'rig');
    assert.equal(rigErrorLine(e), 'rig error (RIG_FLASHER): flasher.where is "ssh" but flasher.controller is not set');
    assert.equal(new RigError('x', { code: 'CONSOLE_SILENCE' }).part, 'console');
    assert.equal(new RigError('x', { code: 'BENCH_NOT_RESTORED' }).part, 'session');
    assert.equal(new RigError('x', { code: 'COMMAND_FAILED', part: 'remote' }).part, 'remote');
  });

  it('where a call site writes a code and a part together, they agree with the catalogue', () => {
    const found: string[] = [];
    for (const f of ['lib', 'flash', 'twin', 'suites'].flatMap((d) => sources(join(PROJECT_ROOT, d)))) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(
        /code: '([A-Z0-9_]+)',\s*part: '([a-z0-9]+)'|part: '([a-z0-9]+)',\s*code: '([A-Z0-9_]+)'/g,
      )) {
        const [code, part] = m[1] ? [m[1], m[2]] : [m[4], m[3]];
        const want = codeInfo(code)?.part;
        if (want !== part)
          found.push(`${f.slice(PROJECT_ROOT.length + 1)}: ${code} part '${part}', catalogue '${want}'`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('codes are UPPER_SNAKE; each diagnosis row uses a diagnosis code', () => {
    for (const [c, i] of entries) {
      assert.match(c, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, c);
      assert.ok(i.summary.length > 10 && !i.summary.endsWith('.'), c);
    }
    for (const row of DIAGNOSES) assert.equal(codeInfo(row.code)?.kind, 'diagnosis', row.code);
    assert.equal(codeInfo('ERR_ASSERTION'), undefined);
    assert.equal(codeInfo('toString'), undefined);
  });
});
