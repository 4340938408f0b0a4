// What the slow twin tests use to drive the twin the way a bench user would: the RTE REST API,
// and OpenSSH (the raw TCP serial port is twin/serial/client.ts) to the controller and dom0.
import { execFile } from 'node:child_process';
import { twinPorts } from '../../twin/base/paths.ts';
import { TWIN_SSH_OPTIONS } from '../../twin/base/ssh-options.ts';

export async function gpio(id: number, state: 0 | 1, time = 0): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${twinPorts.power}/api/v1/gpio/${id}`, {
    method: 'PATCH',
    body: JSON.stringify({ state, direction: 'out', time }),
  });
  if (res.status !== 200) throw new Error(`RTE PATCH ${id}: HTTP ${res.status}`);
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
