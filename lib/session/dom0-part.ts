// dom0 over SSH as a session part: opened on first use with each handshake bounded (while dom0
// boots, a port forward may accept and then stall), its failures judged against the board's
// console (board-watch: a panic is the board's, not the lab's), reused while it answers and
// reconnected after a reboot, forgotten while the board is power-cycled.
import type { BootFailure } from '../boot/errors.ts';
import { aliveOrReconnected } from '../remote/alive-or-reconnected.ts';
import type { RemoteShell } from '../remote/types.ts';
import type { SshTarget } from '../rig/schema.ts';
import { watchBoard } from './board-watch.ts';
import type { TeardownStack } from './teardown.ts';

export class Dom0Part {
  private shell?: RemoteShell;

  constructor(
    private readonly target: SshTarget,
    private readonly open: (target: SshTarget, what: string) => Promise<RemoteShell>,
    private readonly death: () => Promise<BootFailure | undefined>,
    private readonly teardown: TeardownStack,
  ) {}

  async get(timeoutMs: number): Promise<RemoteShell> {
    if (this.shell) return aliveOrReconnected(this.shell, timeoutMs);
    const target = { ...this.target, connectTimeoutMs: Math.min(this.target.connectTimeoutMs, timeoutMs) };
    this.shell = watchBoard(await this.open(target, 'dom0'), this.death);
    this.teardown.push('close dom0 SSH', () => this.drop());
    return this.shell;
  }

  async drop(): Promise<void> {
    const d = this.shell;
    this.shell = undefined;
    await d?.close().catch(() => {});
  }
}
