// `iommu-lab analyze <file|->... [--json]`: facts and findings from saved logs and command
// output. A pipeline can gate on it: exit 0 when no input has an error-severity diagnosis,
// 1 when one has (the board or firmware is wrong), 2 when an input could not be read.
import type { Command } from 'commander';
import { analyzeText, type InputReport } from '../../analyze/analyze.ts';
import { formatReport } from '../../analyze/format.ts';
import { DEFAULT_MAX_BYTES, readInput } from '../../analyze/read-input.ts';
import { isUsageError, UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-code.ts';

interface Options {
  json?: boolean;
  maxBytes: string;
}

type Entry = InputReport | { source: string; error: string };

export async function runAnalyze(sources: string[], opts: Options): Promise<number> {
  const maxBytes = Number(opts.maxBytes);
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
    throw new UsageError(`--max-bytes must be a positive integer, got ${opts.maxBytes}`);
  if (sources.filter((s) => s === '-').length > 1) throw new UsageError('stdin (-) can be given only once');
  const entries: Entry[] = [];
  for (const source of sources) {
    try {
      entries.push(analyzeText(await readInput(source, maxBytes), source));
    } catch (e) {
      // An unreadable input is reported beside the others, not instead of them.
      if (!isUsageError(e)) throw e;
      entries.push({ source, error: e.message });
    }
  }
  const failed = entries.some((e) => 'error' in e);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ inputs: entries }, null, 2)}\n`);
  } else {
    for (const e of entries) {
      if ('error' in e) process.stderr.write(`iommu-lab analyze: ${e.error}\n`);
      else process.stdout.write(`${formatReport(e)}\n`);
    }
  }
  if (failed) return EXIT.usage;
  return entries.some((e) => 'findings' in e && e.findings.some((f) => f.severity === 'error')) ? EXIT.board : EXIT.ok;
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('Read Xen/dom0/firmware logs, xl/lspci output or iperf3 JSON; print facts and diagnoses')
    .argument('<inputs...>', 'files to read, or - for stdin')
    .option('--json', 'print exactly one JSON object')
    .option('--max-bytes <n>', 'refuse inputs larger than this', String(DEFAULT_MAX_BYTES))
    .addHelpText(
      'after',
      [
        '',
        'Exit codes:',
        `  ${EXIT.ok}  no input has an error-severity diagnosis`,
        `  ${EXIT.board}  an input has one: the board or its firmware is wrong`,
        `  ${EXIT.usage}  an input could not be read, or the command line is wrong`,
      ].join('\n'),
    )
    .action(async (inputs: string[], opts: Options) => {
      process.exitCode = await runAnalyze(inputs, opts);
    });
}
