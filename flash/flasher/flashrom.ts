// flashrom where the rig says: on the bench controller over SSH (image uploaded to remoteDir
// first) or on this host. Every argument comes from the rig and goes through sh(). A dropped SSH
// connection during a command becomes an interrupted result (exit code null), which the
// outcome parser turns into write-failed, never into success.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { isRigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { sh, shq } from '../../lib/core/quote.ts';
import type { CommandResult } from '../../lib/core/result.ts';
import { attach, step } from '../../lib/core/step.ts';
import { now } from '../../lib/core/time.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import type { FlasherConfig, Rig } from '../../lib/rig/schema.ts';
import { type FlashOp, type FlashOutcome, parseFlashromOutput } from './flashrom-outcome.ts';

export interface FlashromOptions {
  shell: RemoteShell;
  config: FlasherConfig;
  /** The chip name for -c: only when the rig pins one (flasher.chip). Absent: flashrom probes. */
  chip?: string;
  /**
   * The definitions the board may carry (board.flash.chip), in order. The first that matched is taken when flashrom's probe matches
   * several definitions of one chip ID: flashrom then stops before touching the chip and asks
   * for -c (cli_classic.c, "Multiple flash chip definitions match"), so asking again with the
   * named one is what an engineer would type.
   */
  prefer?: string[];
  /** Reconnect budget after a dropped connection, so the chip can be read back. */
  reconnectMs?: number;
}

export interface WriteOptions {
  /** Only these FMAP regions (flashrom --fmap -i ...), e.g. ["COREBOOT"]. */
  regions?: string[];
  /**
   * What the chip holds now (read by us just before): handed to flashrom as --flash-contents so
   * it does not read the whole chip again to find what to erase. On a real 8 MiB chip at 16 MHz
   * that read costs seconds; flashrom still erases and writes only the blocks that differ.
   */
  knownContents?: string;
}

/** Whole-chip passes over the SPI bus, counted by what was asked of flashrom. */
export interface ChipPasses {
  /** Our reads, flashrom's own read before a write without --flash-contents, and its verify. */
  fullReads: number;
  /** Erase/write passes (flashrom writes only the blocks that differ). */
  writes: number;
}

/** board.flash.chip as a list (one name or several; none when the rig names none). */
export function boardChips(rig: Pick<Rig, 'board'>): string[] {
  const c = rig.board.flash.chip;
  return c === undefined ? [] : [c].flat();
}

export class Flashrom {
  readonly remote: boolean;
  private dirReady = false;
  readonly passes: ChipPasses = { fullReads: 0, writes: 0 };
  /** -c: the rig's pin, or the board's definition once a probe matched several. */
  private chip: string | undefined;

  constructor(private readonly o: FlashromOptions) {
    this.remote = o.config.where === 'ssh';
    this.chip = o.chip;
  }

  /** The command line, for reports and the "by hand" benchmark. */
  argv(...ops: string[]): string {
    const chip = this.chip ? ['-c', this.chip] : [];
    return sh('flashrom', '-p', this.o.config.programmer, ...chip, ...ops);
  }

  async write(localImage: string, opts: WriteOptions = {}): Promise<FlashOutcome> {
    const remote = await this.place(localImage);
    const known = opts.knownContents ? await this.place(opts.knownContents) : undefined;
    const regions = opts.regions?.length ? ['--fmap', ...opts.regions.flatMap((r) => ['-i', r])] : [];
    const contents = known ? ['--flash-contents', known] : [];
    this.passes.writes++;
    this.passes.fullReads += known ? 1 : 2;
    try {
      return await this.exec('write', [...regions, ...contents, '-w', remote]);
    } finally {
      await this.cleanup(remote, localImage);
      if (known && opts.knownContents) await this.cleanup(known, opts.knownContents);
    }
  }

  async verify(localImage: string): Promise<FlashOutcome> {
    const remote = await this.place(localImage);
    this.passes.fullReads++;
    try {
      return await this.exec('verify', ['-v', remote]);
    } finally {
      await this.cleanup(remote, localImage);
    }
  }

  /** Reads the chip (or only [start, end) of it) into localOut. */
  async read(localOut: string, range?: [number, number]): Promise<FlashOutcome> {
    const target = this.remote ? await this.remotePath(`read-${randomBytes(4).toString('hex')}.rom`) : localOut;
    let layout: string[] = [];
    if (range) {
      const file = this.remote ? await this.remotePath('range.layout') : `${localOut}.layout`;
      const line = `0x${range[0].toString(16)}:0x${(range[1] - 1).toString(16)} part`;
      await this.o.shell.check(`${sh('printf', '%s\\n', line)} > ${shq(file)}`);
      layout = ['-l', file, '-i', 'part'];
    } else this.passes.fullReads++;
    const outcome = await this.exec('read', [...layout, '-r', target]);
    if (outcome.kind === 'read' && this.remote) {
      await this.o.shell.download(target, localOut);
      await this.o.shell.run(sh('rm', '-f', target));
    }
    return outcome;
  }

  private async exec(op: FlashOp, ops: string[]): Promise<FlashOutcome> {
    const outcome = await this.execOnce(op, this.argv(...ops));
    if (outcome.kind !== 'multiple-chips' || this.chip) return outcome;
    const named = this.o.prefer ?? [];
    // The rig's names in its order: the first flashrom matched.
    const pick = named.find((n) => outcome.candidates?.includes(n));
    if (!pick) {
      const why = named.length
        ? `none of them is board.flash.chip (${named.join(', ')})`
        : 'the rig names no board.flash.chip to choose';
      return { ...outcome, detail: `${outcome.detail}; ${why}` };
    }
    // flashrom exits before any read, erase or write when it cannot choose: asking again is safe.
    this.chip = pick;
    progress.emit(
      'info',
      `flash: flashrom's probe matched ${outcome.candidates?.length} definitions; taking ${this.chip} (board.flash.chip)`,
    );
    return this.execOnce(op, this.argv(...ops));
  }

  private async execOnce(op: FlashOp, command: string): Promise<FlashOutcome> {
    const stage = op === 'write' ? 'erasing/writing/verifying' : op === 'read' ? 'reading' : 'verifying';
    progress.emit('stage', `flash: ${stage}`);
    const start = now();
    const result = await step(`flashrom ${op}`, { command, where: this.o.shell.description }, () =>
      this.runSurvivingDrop(command),
    );
    const outcome = parseFlashromOutput(result, op);
    await attach(`flashrom ${op} output`, outcome.output || '(no output)');
    const secs = ((now() - start) / 1000).toFixed(1);
    progress.emit('info', `flash: ${op} → ${outcome.kind} in ${secs} s (${outcome.stages.join(' → ') || 'no stage'})`);
    return outcome;
  }

  /** A lost connection is a result without an exit code; we reconnect so the chip can be read back. */
  private async runSurvivingDrop(command: string): Promise<CommandResult> {
    const start = now();
    try {
      return await this.o.shell.run(command, { timeoutMs: this.o.config.timeoutMs });
    } catch (e) {
      if (!isRigError(e, 'SSH_DROPPED')) throw e;
      progress.emit('warn', `flash: ${e.message}; reconnecting to read the chip back`);
      await this.o.shell.reconnect(this.o.reconnectMs ?? 30_000);
      this.dirReady = false;
      return {
        command,
        exitCode: null,
        stdout: '',
        stderr: e.message,
        durationMs: Math.round(now() - start),
        timedOut: false,
      };
    }
  }

  private async remotePath(name: string): Promise<string> {
    const dir = this.o.config.remoteDir;
    if (!this.dirReady) {
      await this.o.shell.check(sh('mkdir', '-p', dir));
      this.dirReady = true;
    }
    return `${dir.replace(/\/+$/, '')}/${name}`;
  }

  private async place(localImage: string): Promise<string> {
    if (!this.remote) return localImage;
    const remote = await this.remotePath(`${randomBytes(4).toString('hex')}-${basename(localImage)}`);
    progress.emit('stage', 'flash: uploading');
    await this.o.shell.upload(localImage, remote);
    return remote;
  }

  private async cleanup(remote: string, localImage: string): Promise<void> {
    if (remote === localImage) return;
    await this.o.shell.run(sh('rm', '-f', remote)).catch(() => undefined);
  }
}
