// Whether an SSH server is there yet: a TCP connection that gets the server's identification
// line ("SSH-2.0-…", RFC 4253 §4.2, sent at once by the server) within a short time.
//
// Why before logging in: a machine still booting usually refuses or is unreachable at once, but a
// forward in between can accept the connection and hold it (the twin's slirp does, until the
// client gives up, and then connects late on its own backoff). A login try with the whole
// handshake deadline then waits that deadline out, even after the machine came up; a server
// that answers sends its line in milliseconds, so a short wait for it tells the two apart, and
// the login that follows keeps the whole deadline for a slow key exchange.
import { connect } from 'node:net';

/** When a boot wait's try logs in: its server spoke within `bannerMs`, or it is every `loginEvery`-th try. */
export interface LoginPace {
  bannerMs: number;
  /** A login all the same every so many tries: a front end (sslh) may wait for the client to speak first. */
  loginEvery: number;
}

/** Whether try number `tryNo` should log in to host:port (see LoginPace). */
export async function worthLoggingIn(host: string, port: number, tryNo: number, pace: LoginPace): Promise<boolean> {
  return tryNo % pace.loginEvery === 0 || (await sshSpeaks(host, port, pace.bannerMs));
}

export function sshSpeaks(host: string, port: number, withinMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let seen = '';
    const done = (speaks: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(speaks);
    };
    const timer = setTimeout(() => done(false), withinMs);
    socket.on('data', (chunk: Buffer) => {
      // Servers may send other lines before it (RFC 4253 §4.2); 255 bytes is the line's limit.
      seen = (seen + chunk.toString('latin1')).slice(-4096);
      if (/(^|\n)SSH-/.test(seen)) done(true);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}
