// File transfer over SFTP (parallel chunked, with progress), falling back to `cat` over an exec
// channel for servers without an sftp subsystem (dropbear without sftp-server, busybox boards).
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import { isRigError, RigError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { progress } from '../core/progress.ts';
import { shq } from '../core/quote.ts';
import type { Connection } from './connect.ts';

/** Files from this size on report progress ('work' events); smaller ones finish too fast to watch. */
const PROGRESS_MIN_BYTES = 1024 * 1024;

export type Direction = 'upload' | 'download';

interface Ctx {
  conn: Connection;
  where: string;
  label: string;
}

export async function transfer(ctx: Ctx, dir: Direction, localPath: string, remotePath: string): Promise<void> {
  const fail = (why: string) => {
    const dropped = !ctx.conn.alive;
    const text = `${ctx.where}: ${dir} ${dir === 'upload' ? `${localPath} → ${remotePath}` : `${remotePath} → ${localPath}`} failed: ${dropped ? `connection dropped (${ctx.conn.endReason ?? 'closed'})` : why}`;
    return new RigError(text, { code: dropped ? 'SSH_DROPPED' : 'SSH_TRANSFER', part: 'remote' });
  };
  if (!ctx.conn.alive) throw fail('not connected');
  // ssh2 leaves SFTP callbacks pending forever when the connection dies mid-transfer.
  let onClose = () => {};
  const lost = new Promise<never>((_, reject) => {
    onClose = () => reject(new Error('connection lost'));
    ctx.conn.client.once('close', onClose);
  });
  let sftp: SFTPWrapper | undefined;
  try {
    sftp = await Promise.race([openSftp(ctx.conn).catch(() => undefined), lost]);
    const work = sftp ? viaSftp(sftp, ctx.label, dir, localPath, remotePath) : viaCat(ctx, dir, localPath, remotePath);
    await Promise.race([work, lost]);
  } catch (e) {
    throw isRigError(e) ? e : fail((e as Error).message);
  } finally {
    ctx.conn.client.off('close', onClose);
    lost.catch(() => {});
    sftp?.end();
  }
}

function openSftp(conn: Connection): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => conn.client.sftp((err, s) => (err ? reject(err) : resolve(s))));
}

function reporter(label: string, total: number): (done: number) => void {
  if (total < PROGRESS_MIN_BYTES) return () => {};
  let last = -1;
  return (done) => {
    // About 100 events per file at most: enough for a live line, cheap for a log.
    if (done === total || done - last >= total / 100) {
      last = done;
      progress.emit('work', label, done, total);
    }
  };
}

async function viaSftp(sftp: SFTPWrapper, label: string, dir: Direction, local: string, remote: string): Promise<void> {
  const remoteSize = () =>
    new Promise<number>((res, rej) => sftp.stat(remote, (err, st) => (err ? rej(err) : res(st.size))));
  const total = dir === 'upload' ? (await stat(local)).size : await remoteSize();
  const step = reporter(label, total);
  const opts = { step: (done: number) => step(done) };
  await new Promise<void>((res, rej) => {
    const cb = (err?: Error | null) => (err ? rej(err) : res());
    if (dir === 'upload') sftp.fastPut(local, remote, opts, cb);
    else sftp.fastGet(remote, local, opts, cb);
  });
  // A transfer cut short by a full disk or a dying board must not pass for a complete one.
  const got = dir === 'upload' ? await remoteSize() : (await stat(local)).size;
  if (got !== total) throw new Error(`size mismatch after transfer: ${got} of ${total} bytes`);
}

async function viaCat(ctx: Ctx, dir: Direction, local: string, remote: string): Promise<void> {
  const command = dir === 'upload' ? `cat > ${shq(remote)}` : `cat ${shq(remote)}`;
  const size = dir === 'upload' ? (await stat(local)).size : 0;
  return new Promise((resolve, reject) => {
    ctx.conn.client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let exitCode: number | null = null;
      let stderr = '';
      // The channel only reports 'close' once its output was read, even when there is none.
      if (dir === 'upload') stream.resume();
      stream.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      stream.on('exit', (code: number | null) => {
        exitCode = code;
      });
      // Piped here, in the exec callback, before ssh2 reads the channel's next packets: a `cat`
      // that fails at once (no such folder, read-only) may close the channel in the same chunk.
      const piped = dir === 'upload' ? sendFile() : receiveFile();
      let pipeError: Error | undefined;
      piped.catch((e: Error) => {
        pipeError = e;
      });
      function sendFile() {
        const step = reporter(ctx.label, size);
        let moved = 0;
        const src = createReadStream(local);
        src.on('data', (d) => {
          moved += d.length;
          step(moved);
        });
        return pipeline(src, stream);
      }
      function receiveFile() {
        stream.end(); // `cat file` reads no input
        return pipeline(stream, createWriteStream(local));
      }
      // The channel's close decides, not the pipe: ssh2 emits 'close' past its streams' state, and
      // on Node >= 24 a pipe into a channel the remote already closed never settles (the upload
      // hung when `cat >` failed). A remote success still waits for every byte to have gone.
      stream.on('close', () => {
        if (exitCode === 0) return void piped.then(() => resolve(), reject);
        // Our own side failing (an unreadable or unwritable local file) is the cause; a pipe cut
        // short by the remote's exit is only its echo.
        if (pipeError && (pipeError as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
          return reject(pipeError);
        reject(new Error(`\`${command}\` exited ${exitCode}: ${printable(stderr.trim())}`));
      });
    });
  });
}
