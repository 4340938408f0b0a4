// The one way to get a Console from a rig's console config.
import { isRigError, RigError } from '../core/errors.ts';
import { step } from '../core/step.ts';
import type { TransportOptions } from './define-transport.ts';
import { ExpectBuffer, type ExpectBufferOptions } from './expect-buffer.ts';
import { type ConsoleConfig, consoleTransport } from './schema.ts';
import { StreamConsole } from './stream-console.ts';
import { Transcript } from './transcript.ts';
import type { ConsoleSink } from './transport.ts';
import type { Console } from './types.ts';

export interface OpenConsoleOptions extends Partial<Omit<ExpectBufferOptions, 'description'>>, TransportOptions {
  transcriptPath: string;
  /** Sees every chunk too (the interactive `iommu-lab console`); the transcript still gets all. */
  tap?: (chunk: Buffer) => void;
}

function transcriptUnwritable(path: string, e: unknown): RigError {
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EROFS' ? 'the file system is read-only' : code;
  return new RigError(`cannot write the console transcript ${path}: ${why}; stopped, as console output would be lost`, {
    code: 'REPORT_WRITE',
  });
}

export function openConsole(cfg: ConsoleConfig, opts: OpenConsoleOptions): Promise<Console> {
  const transportDef = consoleTransport(cfg);
  const description = transportDef.describe(cfg);
  return step(`console: open ${description}`, { transcript: opts.transcriptPath }, async () => {
    // The transcript exists before the first byte can arrive.
    const transcript = new Transcript(opts.transcriptPath, description);
    const buffer = new ExpectBuffer({ ...opts, description });
    let unwritable: RigError | undefined;
    const sink: ConsoleSink = {
      data(chunk) {
        // Output that cannot be kept is not evidence: the run stops at its next wait rather than
        // go on judging a board whose console.log lost bytes (a disk full would crash it otherwise).
        if (unwritable) return;
        try {
          transcript.write(chunk);
        } catch (e) {
          unwritable = transcriptUnwritable(opts.transcriptPath, e);
          buffer.end(unwritable);
          return;
        }
        buffer.push(chunk);
        opts.tap?.(chunk);
      },
      end(err) {
        buffer.end(err);
      },
    };
    try {
      const transport = await transportDef.open(cfg, sink, opts);
      return new StreamConsole(transport, buffer, transcript);
    } catch (e) {
      transcript.close();
      if (isRigError(e)) throw e;
      throw new RigError(`console ${description}: ${(e as Error).message}`, {
        code: 'CONSOLE_OPEN_FAILED',
        cause: e,
      });
    }
  });
}
