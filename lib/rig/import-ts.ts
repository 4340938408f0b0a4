// Imports a TypeScript rig through tsx's ESM API. Unlike a plain import() under tsx's loader, it
// works for a rig anywhere: in a lab's own repository without a `"type": "module"` package.json
// (where Node would treat the file as CommonJS and refuse require() of our ES modules in a cycle).
import { pathToFileURL } from 'node:url';

export class RigImportError extends Error {
  constructor(
    message: string,
    /** Where esbuild found a syntax error: the rig itself or a file it imports. */
    readonly at?: { file: string; line: number; column: number },
  ) {
    super(message);
  }
}

export async function importTsRig(file: string): Promise<{ default?: unknown }> {
  // Imported when needed, and dynamically: a static import would resolve to tsx's CommonJS build
  // when this file itself is loaded through require() (mocha does), and that build cannot find
  // its own ESM half.
  const { tsImport } = await import('tsx/esm/api');
  let mod: { default?: unknown };
  try {
    mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
  } catch (e) {
    throw asImportError(e);
  }
  // Outside an ESM package the rig is compiled as CommonJS: its `export default` arrives wrapped.
  const d = mod.default as { __esModule?: boolean; default?: unknown } | undefined;
  return d && typeof d === 'object' && d.__esModule ? { default: d.default } : mod;
}

/** esbuild: "Transform failed with 1 error:\n/abs/rig.ts:3:15: ERROR: Expected identifier but found ','". */
function asImportError(e: unknown): RigImportError {
  const text = e instanceof Error ? e.message : String(e);
  for (const line of text.split('\n')) {
    const m = /^(.*):(\d+):(\d+): ERROR: (.*)$/.exec(line);
    if (m) return new RigImportError(m[4]!, { file: m[1]!, line: Number(m[2]), column: Number(m[3]) });
  }
  // A runtime error at load (a throw, a missing import): its first line, without the loader's noise.
  return new RigImportError(text.split('\n')[0]!.replace(/\?namespace=[\w-]+/g, ''));
}
