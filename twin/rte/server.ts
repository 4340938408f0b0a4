// The 3mdeb RTE REST API (RteCtrl) on loopback: GET /api/v1/gpio, GET and PATCH
// /api/v1/gpio/{id} with {"state": 0|1, "direction": "out", "time": seconds}. What a pin does
// to the board is wired by the bench (twin/daemon/bench.ts), not here.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn } from '../base/listen.ts';
import type { GpioBank } from './gpio-bank.ts';

export interface RteServerOptions {
  bank: GpioBank;
  host?: string;
  port: number;
  /**
   * Asked once per switch request (PATCH; the twin's fault injector, twin/fault/): 'fail'
   * answers HTTP 500 (RteCtrl's answer when writing the GPIO fails), 'hang' never answers (a
   * wedged RteCtrl). Reads still work, so a client sees the switch itself fail.
   */
  fault?: () => 'fail' | 'hang' | undefined;
}

/** RteCtrl's error strings. */
const ERR_NOT_FOUND = 'id not found';
const ERR_BAD_PARAMS = 'bad parameters';

export class RteServer {
  private server?: Server;

  constructor(private readonly o: RteServerOptions) {}

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const fault = req.method === 'PATCH' ? this.o.fault?.() : undefined;
      if (fault === 'hang') return;
      if (fault === 'fail') return send(res, 500, { error: 'internal error' });
      this.handle(req, res).catch(() => send(res, 500, { error: 'internal error' }));
    });
    this.server = await listenOn(server, this.o.port, this.o.host);
  }

  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : this.o.port;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { bank } = this.o;
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
    if (path === '/api/v1/gpio' && req.method === 'GET') return send(res, 200, bank.list());
    const m = /^\/api\/v1\/gpio\/([^/]+)$/.exec(path);
    if (!m) return send(res, 404, { error: 'not found' });
    const id = /^\d+$/.test(m[1]) ? Number(m[1]) : Number.NaN;
    if (req.method === 'GET')
      return bank.has(id) ? send(res, 200, bank.get(id)) : send(res, 404, { error: ERR_NOT_FOUND });
    if (req.method !== 'PATCH') return send(res, 405, { error: 'method not allowed' });
    if (!bank.has(id)) return send(res, 404, { error: ERR_NOT_FOUND });
    const body = parsePatch(await readBody(req));
    if (!body) return send(res, 403, { error: ERR_BAD_PARAMS });
    bank.set(id, body.state, { direction: body.direction, timeSec: body.time });
    send(res, 200, bank.get(id));
  }
}

interface Patch {
  state: 0 | 1;
  direction?: 'in' | 'out';
  time?: number;
}

/** RteCtrl decodes state and time as unsigned integers; "high"/"low" are accepted too. */
function parsePatch(text: string): Patch | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const state = o.state === 'high' ? 1 : o.state === 'low' ? 0 : (o.state ?? 0);
  if (state !== 0 && state !== 1) return undefined;
  if (o.direction !== undefined && o.direction !== '' && o.direction !== 'in' && o.direction !== 'out')
    return undefined;
  const time = o.time ?? 0;
  if (typeof time !== 'number' || !Number.isInteger(time) || time < 0) return undefined;
  return { state, direction: (o.direction || undefined) as Patch['direction'], time };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      s += d;
      if (s.length > 65536) req.destroy();
    });
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}
