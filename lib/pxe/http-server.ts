// The read-only HTTP server of one boot: a fixed map of request paths to files or bytes, HEAD and
// GET only, one byte range at most (iPXE never asks; curl and wget resume with one). A request is
// matched as a whole against the map — no path is ever joined to a directory — so `..`, `%2e%2e`,
// absolute paths and directory names simply are not in it (404). Every request is logged.
import { constants, createReadStream } from 'node:fs';
import { type FileHandle, open, readlink, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sep } from 'node:path';
import type { Readable } from 'node:stream';
import { printable } from '../core/printable.ts';
import type { RequestLog } from './request-log.ts';

/** A file (its real path, and the real root it must stay under) or bytes rendered in memory. */
export type Source = { file: string; root: string } | { bytes: Buffer; type: string };

/** Request path (decoded) → what it serves. */
export type ServeMap = ReadonlyMap<string, Source>;

interface Reply {
  status: number;
  /** Bytes of the body handed to the kernel for the client (not read from the file). */
  bytes: number;
  /** The served path, once matched (logged instead of the raw target). */
  matched?: string;
}

export interface ServerLimits {
  /** Receiving a whole request (headers and any body); a trickling client is dropped after it. */
  requestTimeoutMs?: number;
}

export function createBootHttpServer(map: ServeMap, log: RequestLog, limits: ServerLimits = {}): Server {
  const requestTimeout = limits.requestTimeoutMs ?? 30_000;
  const server = createServer(
    // How often Node checks requestTimeout and headersTimeout: within a second of the limit.
    { connectionsCheckingInterval: Math.min(1000, requestTimeout), requestTimeout, headersTimeout: requestTimeout },
    (req, res) => void handle(map, log, req, res),
  );
  // CONNECT (a proxy tunnel) is no request for a boot server: refused, and logged like the rest.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    log.add({
      at: new Date().toISOString(),
      method: 'CONNECT',
      path: printable(req.url ?? '', { max: 200 }),
      status: 405,
      bytes: 0,
      ms: 0,
      client: socket.remoteAddress ?? '?',
      complete: true,
    });
    socket.on('error', () => {});
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  // A request the HTTP parser refuses (control bytes in the target, a broken header) is logged too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // A client that went away is no request: what it asked for (if anything) is logged by its reply.
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return void socket.destroy();
    const body = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
    log.add({
      at: new Date().toISOString(),
      method: '?',
      path: `(unparsable request: ${err.code ?? 'bad request'})`,
      status: 400,
      bytes: 0,
      ms: 0,
      client: (socket as Socket).remoteAddress ?? '?',
      complete: true,
    });
    if (socket.writable) socket.end(body);
    else socket.destroy();
  });
  // A board on a slow link takes long for an initramfs (the reply has no limit); a silent client
  // is dropped after 60 s, and one trickling its request after requestTimeout (#24 N16).
  server.keepAliveTimeout = 5_000;
  server.timeout = 60_000;
  return server;
}

async function handle(map: ServeMap, log: RequestLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const t0 = performance.now();
  const at = new Date().toISOString();
  const reply: Reply = { status: 0, bytes: 0 };
  // Read now: once the client has gone, its socket no longer knows the address.
  const client = req.socket.remoteAddress ?? '?';
  res.on('close', () =>
    log.add({
      at,
      method: printable(req.method ?? '?', { max: 16 }),
      path: reply.matched ?? printable(req.url ?? '', { max: 200 }),
      status: reply.status || res.statusCode,
      bytes: reply.bytes,
      ms: Math.round(performance.now() - t0),
      client,
      // writableFinished: every byte of the reply was handed to the kernel (an aborted download is not).
      complete: res.writableFinished,
    }),
  );
  // No request here has a body: one that is still arriving once the reply has gone out (a client
  // trickling it to hold the connection) is cut off, not waited for (#24 N16).
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  if (hasBody) res.shouldKeepAlive = false;
  res.on('finish', () => {
    if (!req.complete) req.socket.destroy();
  });
  try {
    await serve(map, req, res, reply);
  } catch {
    // The file vanished or became unreadable after the server started.
    if (!res.headersSent) text(res, reply, 500, 'cannot read the file\n');
    else res.destroy();
  }
}

async function serve(map: ServeMap, req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return text(res, reply, 405, 'only GET and HEAD\n');
  }
  const path = requestPath(req.url ?? '');
  if (path === undefined) return text(res, reply, 400, 'bad request target\n');
  const source = map.get(path);
  if (!source) return text(res, reply, 404, 'not found\n');
  reply.matched = path;
  if ('bytes' in source)
    return send(req, res, reply, source.bytes.length, source.type, (s, e) => source.bytes.subarray(s, e + 1));
  const fh = await openServed(source);
  if (!fh) return text(res, reply, 403, 'not served\n');
  try {
    const { size } = await fh.stat();
    await send(req, res, reply, size, 'application/octet-stream', (start, end) =>
      createReadStream('', { fd: fh, start, end, autoClose: false }),
    );
  } finally {
    await fh.close();
  }
}

/**
 * The file opened as it is now, or undefined when it is no longer what was resolved at start:
 * checked on the open descriptor, so nothing can change between the check and the read.
 * O_NOFOLLOW refuses a last component swapped for a symlink; O_NONBLOCK makes opening a FIFO
 * return at once instead of holding one of libuv's four pool threads until a writer comes (#24
 * N7); fstat then serves regular files only; and where the descriptor really points
 * (/proc/self/fd) must still be under the root, so a directory on the way swapped for a symlink
 * after the start serves nothing outside it (#24 N6).
 */
async function openServed(source: { file: string; root: string }): Promise<FileHandle | undefined> {
  const fh: FileHandle = await open(source.file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!(await fh.stat()).isFile()) throw new Error('not a regular file');
    const where = await readlink(`/proc/self/fd/${fh.fd}`).catch(() => realpath(source.file));
    if (!where.startsWith(source.root + sep)) throw new Error('outside the root');
    return fh;
  } catch {
    await fh.close();
    return undefined;
  }
}

/** The decoded path of an origin-form target (`/a/b?q`), or undefined for anything else. */
function requestPath(target: string): string | undefined {
  if (!target.startsWith('/')) return undefined;
  try {
    return decodeURIComponent(target.split('?')[0]!);
  } catch {
    return undefined;
  }
}

type Body = (start: number, end: number) => Buffer | Readable;

async function send(req: IncomingMessage, res: ServerResponse, reply: Reply, size: number, type: string, body: Body) {
  let start = 0;
  let end = size - 1;
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Cache-Control', 'no-store');
  const range = req.headers.range === undefined ? undefined : parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${size}`);
    return text(res, reply, 416, 'range not satisfiable\n');
  }
  reply.status = range ? 206 : 200;
  if (range) {
    [start, end] = range;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  }
  res.writeHead(reply.status, { 'Content-Type': type, 'Content-Length': Math.max(0, end - start + 1) });
  if (req.method === 'HEAD' || size === 0) return void res.end();
  const b = body(start, end);
  if (Buffer.isBuffer(b)) {
    reply.bytes = b.length;
    return void res.end(b);
  }
  // Counted when each chunk is handed to the kernel for the client, not when it is read from the
  // file: a client gone mid-body is logged with what it was sent (#24 N15).
  await new Promise<void>((resolve) => {
    b.on('data', (chunk: Buffer) => {
      const ok = res.write(chunk, (err) => {
        if (!err) reply.bytes += chunk.length;
      });
      if (!ok) {
        b.pause();
        res.once('drain', () => b.resume());
      }
    });
    b.on('end', () => res.end());
    b.on('error', () => res.destroy());
    res.on('close', () => {
      b.destroy();
      resolve();
    });
  });
}

/**
 * One `bytes=a-b`, `bytes=a-` or `bytes=-n` range → [start, end]; undefined (serve it all) for
 * several ranges or another unit, as RFC 9110 allows; 'unsatisfiable' past the end.
 */
export function parseRange(header: string, size: number): [number, number] | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? 'unsatisfiable' : [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}

function text(res: ServerResponse, reply: Reply, status: number, body: string): void {
  reply.status = status;
  const length = Buffer.byteLength(body);
  // Node sends no body to a HEAD, whatever end() is given.
  reply.bytes = res.req.method === 'HEAD' ? 0 : length;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': length });
  res.end(body);
}
