// Real HTTP servers on 127.0.0.1 that speak the RTE (RteCtrl) and Tasmota APIs, with switches to
// misbehave: HTTP 500, never answer, answer non-JSON or the wrong shape. Written from the API
// descriptions, not from the client code, so a client mistake cannot cancel out here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Misbehaviour = 'ok' | 'error500' | 'hang' | 'notJson' | 'wrongShape' | 'ignoreWrites' | 'echoQuery';

export interface Seen {
  method: string;
  url: string;
  body: string;
  at: number;
}

export class TestServer {
  readonly seen: Seen[] = [];
  /** Behaviour for the next requests, consumed one per request; then `mode`. */
  readonly queue: Misbehaviour[] = [];
  mode: Misbehaviour = 'ok';
  private server!: Server;
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly handle: (req: Seen, res: ServerResponse, how: Misbehaviour) => void) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Forget what earlier tests sent and misbehave no more. */
  reset(): void {
    this.seen.length = 0;
    this.queue.length = 0;
    this.mode = 'ok';
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', body, at: performance.now() };
      this.seen.push(seen);
      const how = this.queue.shift() ?? this.mode;
      if (how === 'hang') return void this.hanging.add(res);
      if (how === 'error500') return reply(res, 500, `internal error while handling ${seen.url}`);
      if (how === 'notJson') return reply(res, 200, '<html>login</html>');
      this.handle(seen, res, how);
    });
  }
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

/** RteCtrl: GET/PATCH /api/v1/gpio/{id}, numeric state, `time` seconds then flip back. */
export function rteServer(): TestServer & { gpio: Map<number, number> } {
  const gpio = new Map<number, number>();
  const server = new TestServer((req, res, how) => {
    const m = /^\/api\/v1\/gpio\/(\d+)$/.exec(req.url);
    if (!m) return reply(res, 404, { error: 'not found' });
    const id = Number(m[1]);
    if (how === 'wrongShape') return reply(res, 200, { id, value: 'high' });
    if (req.method === 'PATCH') {
      const b = JSON.parse(req.body) as { state: number; direction: string; time: number };
      if (typeof b.state !== 'number' || b.direction !== 'out' || typeof b.time !== 'number')
        return reply(res, 400, { error: 'bad body' });
      if (how !== 'ignoreWrites') {
        const before = gpio.get(id) ?? 0;
        gpio.set(id, b.state);
        if (b.time > 0) setTimeout(() => gpio.set(id, before), b.time * 1000).unref();
      }
      return reply(res, 200, { id, name: `gpio${id}`, direction: 'out', state: gpio.get(id) ?? 0 });
    }
    return reply(res, 200, { id, name: `gpio${id}`, direction: 'out', state: gpio.get(id) ?? 0 });
  });
  return Object.assign(server, { gpio });
}

/** Tasmota: GET /cm?user=..&password=..&cmnd=Power%20On → {"POWER":"ON"}. */
export function tasmotaServer(user?: string, password?: string): TestServer & { power: { on: boolean } } {
  const power = { on: false };
  const server = new TestServer((req, res, how) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname !== '/cm') return reply(res, 404, 'not found');
    if (password !== undefined && (u.searchParams.get('user') !== user || u.searchParams.get('password') !== password))
      return reply(res, 200, { WARNING: 'Need user=<username>&password=<password>' });
    if (how === 'wrongShape') return reply(res, 200, { Command: 'Unknown' });
    // A firmware that echoes the request back: re-serialised (form encoding, "+" for a space),
    // lower-case hex, and decoded into JSON.
    if (how === 'echoQuery')
      return reply(res, 200, {
        Command: `Unknown ${u.searchParams}`,
        Raw: req.url.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
        Query: Object.fromEntries(u.searchParams),
      });
    const cmnd = (u.searchParams.get('cmnd') ?? '').toLowerCase();
    if (how !== 'ignoreWrites') {
      if (cmnd === 'power on') power.on = true;
      if (cmnd === 'power off') power.on = false;
    }
    reply(res, 200, { POWER: power.on ? 'ON' : 'OFF' });
  });
  return Object.assign(server, { power });
}

/** A URL on which nothing listens. */
export async function refusedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}
