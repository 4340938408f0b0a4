// The dev tools .ci/ci-tools.sh installs into .cache/ci-tools (Node 24 and the CI templates'
// validators); a test that needs one skips with that command when it is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { skipWithout } from './tools.ts';

export const CI_TOOLS = fileURLToPath(new URL('../../.cache/ci-tools/node_modules/', import.meta.url));
export const NODE24 = `${CI_TOOLS}.bin/node`;

/** The path of a tool's file under .cache/ci-tools/node_modules, or a skip naming the installer. */
export function ciTool(ctx: Mocha.Context, rel: string): string {
  const path = `${CI_TOOLS}${rel}`;
  if (!existsSync(path) || !existsSync(NODE24))
    skipWithout(ctx, `no ${rel.split('/')[0]} in .cache/ci-tools`, 'bash .ci/ci-tools.sh');
  return path;
}
