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

function describeConsole(cfg: ConsoleConfig): string {
  return cfg.kind === 'tty' ? `${cfg.path} @${cfg.baudRate}` : `ser2net ${cfg.protocol} ${cfg.host}:${cfg.port}`;
}

export function openConsole(cfg: ConsoleConfig, opts: OpenConsoleOptions): Promise<Console> {
  const description = describeConsole(cfg);
  return step(`console: open ${description}`, { transcript: opts.transcriptPath }, async () => {
    // The transcript exists before the first byte can arrive.
    const transcript = new Transcript(opts.transcriptPath, description);
    const buffer = new ExpectBuffer({ ...opts, description });
    const sink: ConsoleSink = {
      data(chunk) {
        transcript.write(chunk);
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
        part: 'console',
        cause: e,
      });
    }
  });
}
