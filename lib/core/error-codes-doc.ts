// docs/error-codes.md, rendered from the catalogue. `npm run docs` writes it; a test fails when
// the committed file differs, so the document cannot drift from the code.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CodeInfo, ERROR_CODES } from './error-codes.ts';
import { EXIT } from './exit-code.ts';
import { PROJECT_ROOT } from './paths.ts';

export const DOC_PATH = join(PROJECT_ROOT, 'docs/error-codes.md');

const cell = (s: string) => s.replace(/\|/g, '\\|');

function table(entries: [string, CodeInfo][]): string[] {
  const rows = entries.map(
    ([code, i]) =>
      `| \`${code}\`${i.reserved ? ' (reserved)' : ''} | ${i.part} | ${i.owner} (${EXIT[i.owner]}) | ${cell(i.summary)} | ${cell(i.remedy ?? '')} |`,
  );
  return ['| code | part | owner (exit) | what it means | what to do |', '|---|---|---|---|---|', ...rows];
}

export function renderErrorCodesDoc(): string {
  const all = Object.entries(ERROR_CODES) as [string, CodeInfo][];
  return [
    '# Error and diagnosis codes',
    '',
    '<!-- Generated from lib/core/error-codes.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Every code iommu-lab reports. The owner says whose problem it is and decides the exit code:',
    `**board** — the board or its firmware is wrong (test *failed*, exit ${EXIT.board}); **lab** — the bench,`,
    `the host or the network is wrong (*broken*, exit ${EXIT.lab}); **usage** — what was typed, written or done`,
    `(exit ${EXIT.usage}). A lab error prints as one line: \`iommu-lab: <part> error (<CODE>): <message>\`.`,
    '*Reserved* codes are named for planned work and not raised yet.',
    '',
    '## Errors',
    '',
    ...table(all.filter(([, i]) => i.kind === 'error')),
    '',
    '## Diagnoses',
    '',
    'Findings read from console logs and command output (`iommu-lab analyze`, and the report of a run);',
    'each occurrence carries its own cause and remedy.',
    '',
    ...table(all.filter(([, i]) => i.kind === 'diagnosis')),
    '',
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(DOC_PATH, renderErrorCodesDoc());
  console.log(`wrote ${DOC_PATH}`);
}
