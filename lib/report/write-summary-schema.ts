// `npm run schema`: writes docs/summary.schema.json from the zod definition the code uses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/paths.ts';
import { summaryJsonSchema } from './summary-schema.ts';

export const SCHEMA_FILE = join(PROJECT_ROOT, 'docs', 'summary.schema.json');

export function schemaText(): string {
  return `${JSON.stringify(summaryJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
