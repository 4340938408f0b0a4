// The one way to get a Console from a rig's console config.
import { isRigError, RigError } from '../core/errors.ts';
import { step } from '../core/step.ts';
import type { ConsoleConfig } from '../rig/schema.ts';
import { ExpectBuffer, type ExpectBufferOptions } from './expect-buffer.ts';
import { StreamConsole } from './stream-console.ts';
import { openTcp, type TcpOptions } from './tcp.ts';
import { Transcript } from './transcript.ts';
import type { ConsoleSink } from './transport.ts';
import { openTty } from './tty.ts';
import type { Console } from './types.ts';

export interface OpenConsoleOptions extends Partial<Omit<ExpectBufferOptions, 'description'>>, TcpOptions {
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

function describeConsole(cfg: ConsoleConfig): string {
  return cfg.kind === 'tty' ? `${cfg.path} @${cfg.baudRate}` : `ser2net ${cfg.protocol} ${cfg.host}:${cfg.port}`;
}

export function openConsole(cfg: ConsoleConfig, opts: OpenConsoleOptions): Promise<Console> {
  const description = describeConsole(cfg);
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
      const transport = cfg.kind === 'tty' ? await openTty(cfg, sink) : await openTcp(cfg, sink, opts);
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
