// One command on an SSH connection → the common result shape. A command whose channel ends
// without an exit status (connection dropped, board hung) is an error, never a success.
import type { ClientChannel } from 'ssh2';
import { RigError } from '../core/errors.ts';
import { OutputBuffer } from '../core/output-buffer.ts';
import { redact } from '../core/redact.ts';
import type { CommandResult } from '../core/result.ts';
import { now } from '../core/time.ts';
import type { Connection } from './connect.ts';
import { killTaggedScript, newTag, tagCommand } from './tag.ts';

export interface ExecOptions {
  timeoutMs: number;
  input?: string;
  /** e.g. "dom0 root@10.0.2.15:22", used in errors. */
  where: string;
}

/** After a timeout: TERM, then KILL and close if the command is still there, then give up waiting. */
const KILL_AFTER_MS = 500;
const ABANDON_AFTER_MS = 2000;

export function execOnce(conn: Connection, command: string, opts: ExecOptions): Promise<CommandResult> {
  const start = now();
  const shown = () => redact(command.length > 200 ? `${command.slice(0, 200)}…` : command);
  const dropped = (why: string) =>
    new RigError(`${opts.where}: ${why} while running \`${shown()}\``, { code: 'SSH_DROPPED', part: 'remote' });
  if (!conn.alive) return Promise.reject(dropped(`not connected (${conn.endReason ?? 'closed'}); reconnect() first`));

  const tag = newTag();
  return new Promise((resolve, reject) => {
    conn.client.exec(tagCommand(command, tag), (err, stream) => {
      // A connection that died before the channel opened says why, as one that died after does.
      if (err)
        return reject(
          dropped(
            conn.alive ? `cannot open a channel: ${err.message}` : `connection dropped (${conn.endReason ?? 'closed'})`,
          ),
        );
      const stdout = new OutputBuffer();
      const stderr = new OutputBuffer();
      let exit: { code: number | null; signal?: string } | undefined;
      let timedOut = false;
      const timers: NodeJS.Timeout[] = [];
      let done = false;

      const finish = () => {
        if (done) return;
        done = true;
        for (const t of timers) clearTimeout(t);
        const result: CommandResult = {
          command,
          exitCode: timedOut ? null : (exit?.code ?? null),
          stdout: stdout.toString(),
          stderr: stderr.toString(),
          durationMs: Math.round(now() - start),
          timedOut,
        };
        if (!timedOut && exit?.signal) result.signal = exit.signal;
        if (timedOut || exit) return resolve(result);
        const why = conn.alive
          ? 'the channel closed without an exit status'
          : `connection dropped (${conn.endReason ?? 'closed'})`;
        reject(dropped(why));
      };

      stream.on('data', (d: Buffer) => stdout.push(d));
      stream.stderr.on('data', (d: Buffer) => stderr.push(d));
      stream.on('exit', (code: number | null, signal?: string) => {
        exit = { code: typeof code === 'number' ? code : null, signal: signal ?? undefined };
      });
      stream.on('close', finish);
      stream.on('error', () => {}); // surfaced through 'close' and conn.endReason
      // stdin always gets EOF, so a command that reads it (cat, xl console) cannot wait forever.
      stream.end(opts.input ?? '');

      if (opts.timeoutMs > 0) {
        timers.push(
          setTimeout(() => {
            timedOut = true;
            sendSignal(stream, 'TERM');
            killTagged(conn, tag, 'TERM');
            timers.push(
              setTimeout(() => {
                sendSignal(stream, 'KILL');
                killTagged(conn, tag, 'KILL');
                stream.close();
              }, KILL_AFTER_MS),
              setTimeout(finish, ABANDON_AFTER_MS),
            );
          }, opts.timeoutMs),
        );
      }
    });
  });
}

/**
 * ssh2's channel.signal() is a silent no-op once stdin was ended (it checks `writable`), and we
 * always end stdin; the protocol call below is what it would do. Recent OpenSSH sshd killpg()s
 * the command's process group (seen in Debian 12's 9.2); a server that ignores signals still
 * sees the channel close.
 */
function sendSignal(stream: ClientChannel, name: string): void {
  const ch = stream as unknown as {
    outgoing: { id: number; state: string };
    _client: { _protocol: { signal(id: number, name: string): void } };
  };
  if (ch.outgoing.state !== 'open' && ch.outgoing.state !== 'eof') return;
  try {
    ch._client._protocol.signal(ch.outgoing.id, name);
  } catch {
    // The connection died in between: 'close' reports it.
  }
}

/** Fire and forget: a side channel that kills the tagged processes (see tag.ts). */
function killTagged(conn: Connection, tag: string, signal: 'TERM' | 'KILL'): void {
  if (!conn.alive) return;
  try {
    conn.client.exec(killTaggedScript(tag, signal), (err, s) => {
      if (err) return;
      s.on('error', () => {});
      s.resume();
      s.stderr.resume();
      s.end();
    });
  } catch {
    // The connection is going away; 'close' on the command's channel reports it.
  }
}
