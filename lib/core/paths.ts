// The project's own folder: default home of caches and reports when no variable overrides them.
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
