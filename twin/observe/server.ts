// The twin's observer door: what QEMU holds of the board's physical memory, read from outside
// the board (HTTP on a unix socket in the run dir, like the fault injector: no real bench has
// it). GET /memory?address=0x…&length=N → 200 with the raw bytes, or 4xx/409 {"error": "..."}.
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { MAX_PHYSICAL_READ } from '../board/board.ts';

export interface PhysicalMemory {
  readPhysical(address: bigint, length: number): Promise<Buffer>;
}

const ADDRESS = /^0x[0-9a-f]{1,13}$/;

export async function serveObserver(board: PhysicalMemory, socketPath: string): Promise<Server> {
  rmSync(socketPath, { force: true });
  const server = createServer((req, res) => {
    const fail = (status: number, error: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ error })}\n`);
    };
    const url = new URL(req.url ?? '/', 'http://twin');
    if (req.method !== 'GET' || url.pathname !== '/memory') return fail(404, 'GET /memory?address=0x…&length=N');
    const address = url.searchParams.get('address') ?? '';
    const length = Number(url.searchParams.get('length'));
    if (!ADDRESS.test(address) || !Number.isInteger(length) || length < 1 || length > MAX_PHYSICAL_READ)
      return fail(400, `address is 0x and up to 13 hex digits, length 1…${MAX_PHYSICAL_READ}`);
    board.readPhysical(BigInt(address), length).then(
      (bytes) => {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(bytes);
      },
      (e) => fail(409, (e as Error).message),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return server;
}
