// The twin's iperf3 peer on the test host: QEMU's user networking shows 127.0.0.1 to the
// board as 10.0.2.2, so a server bound to loopback is what the board's NICs reach.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { sleep } from '../../lib/core/time.ts';

export interface IperfPeer {
  port: number;
  stop(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
  });
}

export async function startIperfPeer(port: number): Promise<IperfPeer> {
  if (await listening(port)) return { port, stop: async () => {} }; // someone already serves it
  const child: ChildProcess = spawn('iperf3', ['-s', '-B', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await listening(port)); i++) {
    if (child.exitCode !== null)
      throw new Error(`iperf3 server exited (${child.exitCode}) before listening on ${port}`);
    await sleep(100);
  }
  return {
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
