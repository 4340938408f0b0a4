import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mayDetect, TESTS } from '../../lib/analyze/detect.ts';
import { looksBinary } from '../../lib/analyze/read-input.ts';

const logs = fileURLToPath(new URL('../fixtures/logs/', import.meta.url));

describe('analyze/detect prefilter', () => {
  it('lets through every line some kind test matches (every log fixture line, and each with noise before it)', () => {
    let matched = 0;
    let turnedAway = 0;
    for (const name of readdirSync(logs)) {
      const buf = readFileSync(`${logs}${name}`);
      if (looksBinary(buf)) continue;
      for (const line of buf.toString('utf8').split(/\r?\n/))
        for (const t of [line, `x${line}`, `(XEN) ${line}`]) {
          const hit = TESTS.find(([, re]) => re.test(t));
          if (hit) {
            matched++;
            assert.ok(mayDetect(t), `${hit[0]} matches ${JSON.stringify(t)} but the prefilter turns it away`);
          } else if (!mayDetect(t)) turnedAway++;
        }
    }
    assert.ok(matched > 50, `only ${matched} matching lines: the check proves little`);
    assert.ok(turnedAway > 5000, `only ${turnedAway} lines turned away: the prefilter does not filter`);
  });
});
