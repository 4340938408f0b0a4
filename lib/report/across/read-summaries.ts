// Results across runs read only summary.json files — so they work on artifacts collected from
// many runners. A folder without one, or with a broken one, is reported, never fatal: each file
// is a regular file of bounded size (opened non-blocking: a FIFO or /dev/zero named by a glob
// neither hangs nor fills the memory), of a schemaVersion this iommu-lab knows, and valid against
// what results reads from it (#24 N8). Everything shown from it is made printable (#24 N13).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { printable } from '../../core/printable.ts';
import { NotASmallFile, readSmallFileSync } from '../../core/read-small-file.ts';
import type { RunSummary } from '../summary.ts';
import { SCHEMA_VERSION } from '../summary-schema.ts';

export interface FoundSummary {
  path: string;
  summary: RunSummary;
}

/** A summary.json is a few hundred KiB at most (its tests, measurements and boot timings). */
export const MAX_SUMMARY_BYTES = 16 * 1024 * 1024;
/** Every version whose fields below mean what results takes them to mean (docs/summary-json.md). */
export const READ_VERSIONS = [1, SCHEMA_VERSION] as const;

const state = z.enum(['passed', 'failed', 'broken', 'skipped']);
const text = z.string().max(1000);
/**
 * What results reads, typed as every known version writes it. Fields it does not read are
 * ignored, as docs/summary-json.md asks of readers (an optional field is added without a bump).
 */
const readSchema = z.looseObject({
  schemaVersion: z.number(),
  rig: text,
  startedAt: z.iso.datetime(),
  verdict: z.enum(['passed', 'failed', 'broken']),
  firmware: z.object({ version: text.nullable().optional(), sha256: text.optional() }).optional(),
  suites: z.record(text, z.object({ verdict: state })),
  measurements: z
    .array(
      z.object({
        name: text,
        value: z.number().refine(Number.isFinite, 'a finite number'),
        unit: text,
        threshold: z.object({ min: z.number().optional(), max: z.number().optional() }).optional(),
      }),
    )
    .optional(),
  boot: z.object({ timings: z.array(z.object({ stage: text, ms: z.number().nonnegative() })).optional() }).optional(),
});

function why(e: unknown): string {
  if (e instanceof NotASmallFile) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  return code ?? (e as Error).message.split('\n')[0] ?? 'unreadable';
}

/** The summary in `text`, or why it is not one results can read. */
export function checkSummary(textIn: string): { summary: RunSummary } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(textIn);
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version === undefined) return { error: 'no schemaVersion: not an iommu-lab summary.json' };
  if (!(READ_VERSIONS as readonly unknown[]).includes(version))
    return {
      error: `schemaVersion ${JSON.stringify(version)?.slice(0, 20)} is not one this iommu-lab reads (${READ_VERSIONS.join(', ')}): use a newer iommu-lab`,
    };
  const r = readSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { error: `${issue.path.join('.') || '(top)'}: ${issue.message}` };
  }
  // A rig name or a version with an escape sequence in it is shown, never obeyed by a terminal.
  return { summary: shownSafe(r.data) as unknown as RunSummary };
}

function shownSafe(v: unknown): unknown {
  if (typeof v === 'string') return printable(v, { max: 1000 });
  if (Array.isArray(v)) return v.map(shownSafe);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [printable(k, { max: 200 }), shownSafe(x)]));
  return v;
}

export function readSummaries(paths: string[]): { found: FoundSummary[]; skipped: string[] } {
  const found: FoundSummary[] = [];
  const skipped: string[] = [];
  for (const p of paths) {
    let file = p;
    try {
      if (statSync(p).isDirectory()) file = join(p, 'summary.json');
      const checked = checkSummary(readSmallFileSync(file, MAX_SUMMARY_BYTES));
      if ('error' in checked) throw new Error(checked.error);
      found.push({ path: file, summary: checked.summary });
    } catch (e) {
      skipped.push(printable(`${file}: ${why(e)}`, { max: 400 }));
    }
  }
  found.sort((a, b) => a.summary.startedAt.localeCompare(b.summary.startedAt));
  return { found, skipped };
}
