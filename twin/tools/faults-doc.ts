// twin/README.md's list of faults, rendered from the records (twin/fault/faults.ts). `npm run
// docs` writes it between its markers; test/twin-unit/fault/faults.test.ts fails when the
// committed list differs, so a new fault is one record and a `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { faultsMarkdown } from '../fault/faults.ts';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
export const BEGIN = '<!-- faults: generated from twin/fault/faults.ts by `npm run docs` -->';
export const END = '<!-- /faults -->';

/** The README with its fault list replaced by the one the records give. */
export function withFaultList(readme: string): string {
  const [a, b] = [readme.indexOf(BEGIN), readme.indexOf(END)];
  if (a < 0 || b < a) throw new Error(`${README}: no ${BEGIN} … ${END} block`);
  return `${readme.slice(0, a + BEGIN.length)}\n${faultsMarkdown()}\n${readme.slice(b)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README, withFaultList(readFileSync(README, 'utf8')));
  console.log(`wrote the fault list of ${README}`);
}
