// `iommu-lab analyze <file|->... [--json]`: facts and findings from saved logs and command
// output, per boot. A pipeline can gate on it: exit 0 when no boot of any input has an
// error-severity diagnosis, 1 when one has (the board or firmware is wrong), 2 when an input
// could not be read. Inputs of any size are read as streams and each boot is printed as soon as
// it ends (lib/analyze/stream.ts), so memory does not grow with the input.
import type { EventEmitter } from 'node:events';
import type { Command } from 'commander';
import { formatReport } from '../../analyze/format.ts';
import { asInputError, openInput } from '../../analyze/read-input.ts';
import { analyzeStream, type BootReport } from '../../analyze/stream.ts';
import { isUsageError, UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-code.ts';

interface Options {
  json?: boolean;
  maxBytes?: string;
}

/** Resolves on the first of `events` (never rejects: an error is its emitter's handlers' to report). */
function settled(emitter: EventEmitter, events: string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const e of events) emitter.off(e, done);
      resolve();
    };
    for (const e of events) emitter.on(e, done);
  });
}

/** JSON text of `v` (pretty, 2 spaces) indented to sit `depth` levels deep. */
const json = (v: unknown, depth: number) =>
  JSON.stringify(v, null, 2)
    .split('\n')
    .join(`\n${'  '.repeat(depth)}`);

/**
 * Streams `{"inputs": [...]}` piece by piece: one input's boots are written as they end, gathered
 * into writes of about BATCH characters (a soak's log has tens of thousands of boots, and one
 * write each was a twentieth of analyze's time); the object is of use only once whole anyway.
 */
class JsonOut {
  private static readonly BATCH = 1 << 16;
  private inputs = 0;
  private boots = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  constructor(private out: (s: string) => void) {
    this.write('{\n  "inputs": [');
  }
  private write(s: string): void {
    this.pending.push(s);
    this.pendingChars += s.length;
    if (this.pendingChars >= JsonOut.BATCH) this.flush();
  }
  /** Writes what is gathered: at the end, and before anything else is printed. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.out(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }
  beginInput(source: string): void {
    this.write(`${this.inputs++ ? ',' : ''}\n    {\n      "source": ${json(source, 3)},\n      "boots": [`);
    this.boots = 0;
  }
  boot(r: BootReport): void {
    const { source: _, ...rest } = r;
    this.write(`${this.boots++ ? ',' : ''}\n        ${json(rest, 4)}`);
  }
  /** Ends the input: the last boot's kinds, facts and findings stand for it (or the error, if any). */
  endInput(last: BootReport | undefined, error?: string): void {
    this.write(this.boots ? '\n      ]' : ']');
    if (last)
      for (const k of ['kinds', 'facts', 'findings'] as const) this.write(`,\n      "${k}": ${json(last[k], 3)}`);
    if (error !== undefined) this.write(`,\n      "error": ${json(error, 3)}`);
    this.write('\n    }');
  }
  end(): void {
    this.write(`${this.inputs ? '\n  ' : ''}]\n}\n`);
    this.flush();
  }
}

const bootLabel = (r: BootReport) =>
  `boot ${r.boot}${r.part > 1 ? ` part ${r.part}` : ''}, lines ${r.lines[0]}-${r.lines[1]}`;

function parseMaxBytes(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--max-bytes must be a positive integer, got ${v}`);
  return n;
}

export async function runAnalyze(sources: string[], opts: Options): Promise<number> {
  const maxBytes = parseMaxBytes(opts.maxBytes);
  if (sources.filter((s) => s === '-').length > 1) throw new UsageError('stdin (-) can be given only once');
  // A pipe to a slower reader takes writes into memory: reading stops until it drains (or
  // stdout is gone: then its own error handler in lib/cli/main.ts decides).
  let drained: Promise<void> | null = null;
  const out = (s: string) => {
    if (!process.stdout.write(s) && !drained)
      drained = settled(process.stdout, ['drain', 'close', 'error']).then(() => {
        drained = null;
      });
  };
  const jsonOut = opts.json ? new JsonOut(out) : null;
  let unreadable = false;
  let boardError = false;
  for (const source of sources) {
    jsonOut?.beginInput(source);
    let last: BootReport | undefined;
    let error: string | undefined;
    let name = source;
    // Human output holds one boot back: only the next boot tells whether this one needs a label.
    let held: BootReport | undefined;
    const show = (r: BootReport, several: boolean) => out(`${formatReport(r, several ? bootLabel(r) : undefined)}\n`);
    try {
      const input = await openInput(source, { maxBytes });
      name = input.name;
      await analyzeStream(input.stream, source, { name, maxBytes, pause: () => drained }, (r) => {
        last = r;
        if (r.findings.some((f) => f.severity === 'error')) boardError = true;
        if (jsonOut) return jsonOut.boot(r);
        if (held) show(held, true);
        held = r;
      }).catch((e: unknown) => {
        throw asInputError(name, e);
      });
    } catch (e) {
      // An unreadable input is reported beside the others, not instead of them.
      if (!isUsageError(e)) {
        jsonOut?.flush(); // what was analysed is not lost to an internal error
        throw e;
      }
      unreadable = true;
      error = e.message;
      if (!jsonOut) process.stderr.write(`iommu-lab analyze: ${e.message}\n`);
    }
    // Boots read before a read error are still shown.
    if (held) show(held, held.boot > 1 || held.part > 1);
    jsonOut?.endInput(last, error);
  }
  jsonOut?.end();
  if (unreadable) return EXIT.usage;
  return boardError ? EXIT.board : EXIT.ok;
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('Read Xen/dom0/firmware logs, xl/lspci output or iperf3 JSON; print facts and diagnoses per boot')
    .argument('<inputs...>', 'files to read, or - for stdin (any size: read as a stream)')
    .option('--json', 'print exactly one JSON object')
    .option('--max-bytes <n>', 'refuse inputs larger than this (no limit unless given)')
    .addHelpText(
      'after',
      [
        '',
        'A log that holds several boots (a soak, a bisect, a reused console log) is reported boot by boot;',
        'in --json each input has "boots", and its own kinds/facts/findings are its last boot\'s.',
        '',
        'Exit codes:',
        `  ${EXIT.ok}  no boot of any input has an error-severity diagnosis`,
        `  ${EXIT.board}  a boot has one: the board or its firmware is wrong`,
        `  ${EXIT.usage}  an input could not be read, or the command line is wrong`,
      ].join('\n'),
    )
    .action(async (inputs: string[], opts: Options) => {
      process.exitCode = await runAnalyze(inputs, opts);
    });
}
