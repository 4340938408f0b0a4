// One run as a value: what was asked (rig, options), where its evidence goes, the bench session,
// the one boot every suite shares, and what firmware it ran. Created by `iommu-lab run`, opened by
// the mocha root hook, handed to each suite's body as an argument.
import type { OutsideView } from '../bench/provider.ts';
import { BootStrategy } from '../boot/strategy.ts';
import type { FirmwareInfo } from '../firmware/running.ts';
import type { ServedImages } from '../pxe/served-manifest.ts';
import type { IommuFacts } from '../report/iommu-facts.ts';
import type { Measurement } from '../report/measurements.ts';
import type { PlatformFacts } from '../report/platform.ts';
import type { RunDir } from '../report/run-dir-layout.ts';
import type { Rig } from '../rig/schema.ts';
import { powerOffAtEnd } from '../session/end-power.ts';
import { gateOnHealth } from '../session/health-gate.ts';
import type { PartFactories } from '../session/parts.ts';
import { Session } from '../session/session.ts';
import { type FirmwareRequest, flashForRun } from './flash-for-run.ts';
import type { GuestType } from './guest-types.ts';
import { RunMeasurements } from './measurements.ts';
import { Passthroughs } from './passthroughs.ts';

export type { FirmwareInfo };

export interface RunOptions {
  rig: Rig;
  runDir: RunDir;
  keepOn: boolean;
  /** `--assume dom0`: adopt a board that is already up. */
  assume?: 'dom0';
  /** `--firmware`: flash this build before booting. */
  firmware?: FirmwareRequest;
  /** boot-stability: how many full boots. */
  boots: number;
  /** `--force`: use a bench marked bad. */
  force?: boolean;
  /** `--wait-lock`: queue this long on a held bench. */
  waitLockMs?: number;
  /** `--guests`: only these guest types (default: every type the rig lists). */
  guests?: GuestType[];
}

export class Run {
  readonly firmware: FirmwareInfo = { warnings: [] };
  /** Xen and dom0 kernel as a suite read them (`xl info`); the boot's serial capture fills the rest. */
  readonly platform: Partial<PlatformFacts> = {};
  /** The IOMMU facts iommu-detection judged (summary.json iommu). */
  readonly iommu: Partial<IommuFacts> = {};
  /** This run's measurements (throughput, boot times), for its reports only. */
  readonly measurements = new RunMeasurements();
  /** One passthrough per NIC for every suite: its guest is a run-level fixture. */
  readonly passthroughs: Passthroughs;
  private sessionValue?: Session;
  private bootValue?: BootStrategy;

  constructor(
    readonly opts: RunOptions,
    private readonly parts?: PartFactories,
  ) {
    this.passthroughs = new Passthroughs(opts.rig);
  }

  get rig(): Rig {
    return this.opts.rig;
  }

  get session(): Session {
    if (!this.sessionValue) throw new Error('the run has not opened its bench yet');
    return this.sessionValue;
  }

  get boot(): BootStrategy {
    if (!this.bootValue) throw new Error('the run has not opened its bench yet');
    return this.bootValue;
  }

  /** A key measurement with its unit (and threshold), shown on the test that took it. */
  measure(m: Measurement): Promise<void> {
    return this.measurements.record(m);
  }

  /** One marker line in console.log (test start/end); its line number, or undefined without a console. */
  markConsole(text: string): number | undefined {
    return this.sessionValue?.consoleIfOpen?.mark?.(text);
  }

  /** The boot, once the bench was opened (for the summary, also after a failed open). */
  get bootIfOpened(): BootStrategy | undefined {
    return this.bootValue;
  }

  /** What the board fetched from iommu-lab's boot server (summary.json boot.served); none without one. */
  get served(): { path: string; bytes: number; ms: number; client: string; complete: boolean }[] {
    return this.sessionValue?.bootServer?.log.served() ?? [];
  }

  /** The software bench's view of the board's memory from outside (the twin's): a DMA oracle a real bench has not. */
  get outsideView(): OutsideView | undefined {
    return this.sessionValue?.provider?.outsideView;
  }

  /** The image set the boot server served (summary.json images); none without a manifest. */
  get images(): ServedImages | undefined {
    return this.sessionValue?.bootServer?.images;
  }

  /** Takes the bench, prepares the boot, and flashes `--firmware` before the first boot. */
  async open(): Promise<void> {
    const { rig, runDir, keepOn, assume } = this.opts;
    const session = new Session(rig, {
      open: ['power', 'console'],
      transcriptPath: runDir.transcript,
      waitLockMs: this.opts.waitLockMs,
      afterLock: () => gateOnHealth(session, this.opts.force ? 'warn' : 'refuse'),
      serveBoot: true,
      parts: this.parts,
    });
    this.sessionValue = session;
    await session.start();
    powerOffAtEnd(session, { keepOn, assumed: Boolean(assume) });
    // Flashed before the first boot; the strategy is made after, with the flash's recovery.
    const onSilentFirmware = this.opts.firmware ? await flashForRun(this, this.opts.firmware) : undefined;
    this.bootValue = new BootStrategy(session, { onSilentFirmware });
    if (assume) this.bootValue.force(assume);
  }

  /** Guests gone and NICs given back, board off (unless kept on), lock released, parts closed; returns teardown failures. */
  async close(): Promise<string[]> {
    // Only on a bench still ours with dom0 up as the boot left it: a run that lost its lock drives
    // nothing more, and a board that hung or panicked is switched off, not cleaned up over SSH.
    if (this.sessionValue && !this.sessionValue.lost && this.bootValue?.state === 'dom0')
      await this.passthroughs.releaseAll();
    return (await this.sessionValue?.close()) ?? [];
  }
}
