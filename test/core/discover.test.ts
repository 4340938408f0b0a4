// discoverDefinitions: the one way a folder's definitions are found (power backends, bench
// providers, suites), on real files in a temporary folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverDefinitions } from '../../lib/core/discover.ts';

type Thing = { thing: string };
const isThing = (v: unknown): v is Thing => typeof (v as Thing | undefined)?.thing === 'string';

describe('core/discover', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'discover-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, body: string) => writeFileSync(join(dir, name), body);
  const discover = (suffix?: string) =>
    discoverDefinitions(dir, isThing, { what: 'a thing', suffix, nameOf: (t) => t.thing, kind: 'things' });

  it('finds every matching file in name order, and only those', async () => {
    file('b-x.ts', "export default { thing: 'b' };");
    file('a-x.ts', "export default { thing: 'a' };");
    file('helper.ts', 'export const n = 1;');
    file('notes.md', 'not code');
    const found = await discover('-x.ts');
    assert.deepEqual(
      found.map((f) => [f.definition.thing, f.file]),
      [
        ['a', join(dir, 'a-x.ts')],
        ['b', join(dir, 'b-x.ts')],
      ],
    );
  });

  it('names a file that exports something else, and refuses two of one name', async () => {
    file('odd.ts', 'export default 42;');
    await assert.rejects(discover(), /odd\.ts: does not export default a thing/);
    rmSync(join(dir, 'odd.ts'));
    file('one.ts', "export default { thing: 'same' };");
    file('two.ts', "export default { thing: 'same' };");
    await assert.rejects(discover(), /two things are named "same" \(.*one\.ts, .*two\.ts\)/);
  });
});
