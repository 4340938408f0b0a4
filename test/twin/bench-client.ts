// What the slow twin tests use to drive the twin the way a bench user would: the RTE REST API,
// the raw TCP serial port (with timed marks), and OpenSSH to the controller and dom0.
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { twinPorts } from '../../twin/base/paths.ts';
import { TWIN_SSH_OPTIONS } from '../../twin/base/ssh-options.ts';

export async function gpio(id: number, state: 0 | 1, time = 0): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${twinPorts.power}/api/v1/gpio/${id}`, {
    method: 'PATCH',
    body: JSON.stringify({ state, direction: 'out', time }),
  });
  if (res.status !== 200) throw new Error(`RTE PATCH ${id}: HTTP ${res.status}`);
}

export class SerialClient {
  text = '';
  readonly opened = Date.now();
  private readonly sock: Socket;
  private constructor(sock: Socket) {
    this.sock = sock;
    sock.on('data', (d: Buffer) => {
      this.text += d.toString('latin1');
    });
    sock.on('error', () => {});
  }

  static async open(): Promise<SerialClient> {
    const sock = connect(twinPorts.serial, '127.0.0.1');
    await new Promise((r, j) => sock.once('connect', r).once('error', j));
    return new SerialClient(sock);
  }

  /** Waits for a pattern; returns ms since `since`. */
  async waitFor(pattern: RegExp | string, timeoutMs: number, since = this.opened): Promise<number> {
    const end = Date.now() + timeoutMs;
    const hit = () => (typeof pattern === 'string' ? this.text.includes(pattern) : pattern.test(this.text));
    while (!hit()) {
      if (Date.now() > end)
        throw new Error(`no ${pattern} on the console within ${timeoutMs} ms; last:\n${this.text.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - since;
  }

  send(s: string): void {
    this.sock.write(s);
  }

  close(): void {
    this.sock.destroy();
  }
}

const SSH_OPTIONS = TWIN_SSH_OPTIONS;

export function ssh(port: number, command: string, timeoutMs = 60_000): Promise<{ code: number; out: string }> {
  const args = ['-p', String(port), ...SSH_OPTIONS, '-o', 'ConnectTimeout=10', 'root@127.0.0.1', command];
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : 255
        : 0;
      resolve({ code, out: stdout + stderr });
    });
  });
}

export function scp(port: number, local: string, remote: string): Promise<{ code: number; out: string }> {
  const args = ['-P', String(port), ...SSH_OPTIONS, local, `root@127.0.0.1:${remote}`];
  return new Promise((resolve) => {
    execFile('scp', args, { encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, out: stdout + stderr }),
    );
  });
}
