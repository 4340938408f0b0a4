// The repository stands alone: nothing in it reads or points at a development machine's folders
// (a shared reference folder beside the checkout, a home directory, a design note kept outside).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SELF = 'test/architecture/stands-alone.test.ts';

// Written so that this file does not match itself.
const MACHINE_PATHS: RegExp[] = [
  new RegExp(['', 'work', ''].join('/')),
  new RegExp(['\\.\\.', 'shared\\b'].join('/')),
  new RegExp(['', 'home', '[a-z_][\\w-]*', ''].join('/')),
  new RegExp(['\\bTWIN', 'md\\b'].join('\\.')),
];

describe('architecture: the repository stands alone', () => {
  it('has no machine path in any tracked file', function () {
    let files: string[];
    try {
      files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    } catch {
      this.skip(); // an export without git: nothing to list
    }
    assert.ok(files.length > 100, `git ls-files listed ${files.length} files`);
    const hits: string[] = [];
    for (const f of files) {
      if (f === SELF) continue;
      let text: string;
      try {
        text = readFileSync(join(ROOT, f), 'utf8');
      } catch {
        continue; // deleted in the work tree
      }
      text.split('\n').forEach((line, i) => {
        if (MACHINE_PATHS.some((re) => re.test(line))) hits.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    assert.deepEqual(hits, [], `machine paths:\n${hits.join('\n')}`);
  });
});
