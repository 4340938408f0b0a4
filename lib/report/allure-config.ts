// The Allure 3 configuration of a run's HTML report: one self-contained index.html (the awesome
// plugin's single-file mode: it opens from disk, a CI artifact browser or a mailed zip, where a
// multi-file report stays empty for want of CORS), grouped by suite rather than file path,
// categories named for this domain, the run's facts on top, and history kept per rig so that
// throughput and boot time show their trend across runs.

import { ERROR_CODES } from '../core/error-codes.ts';
import { escapeRegExp } from '../core/escape-regexp.ts';

export interface ReportConfigInput {
  /** The report's title, unique per run (history entries of the same run are replaced by it). */
  name: string;
  output: string;
  /** JSONL history file of the rig (kept under the reports folder). */
  historyPath?: string;
}

/**
 * One category per code of lib/core/error-codes.ts, named by the code: a failed or broken test
 * whose message starts with "[CODE]" (written by writeTestIdentity) falls into it. Allure takes
 * the first category that matches, so these come before the two catch-alls.
 */
export const CODE_CATEGORIES = Object.entries(ERROR_CODES)
  .filter(([, info]) => !('reserved' in info))
  .map(([code]) => ({
    id: `code-${code}`,
    name: code,
    messageRegex: `^\\[${escapeRegExp(code)}\\]`,
    matchedStatuses: ['failed', 'broken'] as ('failed' | 'broken')[],
  }));

/** failed = an assertion about the board failed; broken = the lab could not do its part. */
export const CATEGORIES = [
  ...CODE_CATEGORIES,
  { id: 'board-firmware', name: 'Board/firmware', matchers: { statuses: ['failed' as const] } },
  { id: 'lab-infrastructure', name: 'Lab/infrastructure', matchers: { statuses: ['broken' as const] } },
];

/** Labels allure-mocha sets from the describe() titles; the file path is left out of the tree. */
export const GROUP_BY = ['parentSuite', 'suite', 'subSuite'];

export function reportConfig(i: ReportConfigInput): Record<string, unknown> {
  return {
    name: i.name,
    output: i.output,
    ...(i.historyPath ? { historyPath: i.historyPath, appendHistory: true } : {}),
    categories: CATEGORIES,
    // The run's facts also come as environment.properties in allure-results (Metadata): once is enough.
    // Labels nobody at a bench reads: the worker thread and mocha's own ids.
    hideLabels: ['thread', 'language', 'framework', 'package'],
    plugins: {
      awesome: {
        options: {
          singleFile: true,
          reportName: i.name,
          reportLanguage: 'en',
          groupBy: GROUP_BY,
          // A test opens on its own evidence; the shared set-up (open, boot) unfolds where it failed.
          stepTreeExpansion: 'expand_failed_only',
        },
      },
      // Allure adds its agent plugin (machine-readable files beside the report) unless told.
      agent: { enabled: false },
    },
  };
}
