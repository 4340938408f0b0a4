// The boot server against real requests on loopback: what it serves, what it refuses (traversal
// in every spelling, other methods, symlinks out), byte ranges, and the request log.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { type BootServer, startBootServer } from '../../lib/pxe/boot-server.ts';
import { createBootHttpServer, parseRange } from '../../lib/pxe/http-server.ts';
import { formatEntry, RequestLog, SHOWN_MAX } from '../../lib/pxe/request-log.ts';
import { assertNoControlBytes } from '../helpers/no-control.ts';
import { type ImageSet, makeImageSet, pxeRig, SECRET_TEXT } from './image-set.ts';

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with the target sent exactly as given (no URL normalisation of `..`). */
function get(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Bytes on a socket as they are, for what an HTTP client library would refuse to send. */
function rawRequest(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(bytes));
    let got = '';
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('end', () => resolve(got));
    sock.on('error', reject);
  });
}

describe('pxe/http-server', () => {
  let set: ImageSet;
  let srv: BootServer;
  let port: number;

  before(async () => {
    set = makeImageSet();
    srv = await startBootServer(pxeRig(set));
    port = srv.listening.port;
  });
  after(() => srv.close());

  it('serves the script rendered from the rig, naming its own URLs with the port it listens on', async () => {
    const r = await get(port, '/boot.ipxe');
    assert.equal(r.status, 200);
    const base = `http://127.0.0.1:${port}`;
    assert.equal(
      r.body.toString(),
      [
        '#!ipxe',
        `kernel ${base}/xen iommu=verbose loglvl=all conring_size=1M`,
        `module ${base}/dom0/kernel console=hvc0 earlyprintk=xen`,
        `module ${base}/dom0/initrd`,
        'boot',
        '',
      ].join('\n'),
    );
    assert.equal(srv.scriptUrl, `${base}/boot.ipxe`);
  });

  it('serves each file of the boot byte for byte', async () => {
    for (const [path, bytes] of [
      ['/xen', set.bytes.xen],
      ['/dom0/kernel', set.bytes.kernel],
      ['/dom0/initrd', set.bytes.initrd],
      ['/guest/guest/initrd.gz', set.bytes.guest],
    ] as const) {
      const r = await get(port, path);
      assert.equal(r.status, 200, path);
      assert.ok(r.body.equals(bytes), path);
      assert.equal(r.headers['content-length'], String(bytes.length));
    }
  });

  it('answers HEAD with the size and no body', async () => {
    const r = await get(port, '/dom0/initrd', { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], String(set.bytes.initrd.length));
    assert.equal(r.body.length, 0);
  });

  it('refuses every other method with 405 and says which are allowed', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const r = await get(port, '/xen', { method });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.allow, 'GET, HEAD');
    }
  });

  it('serves one byte range, and says 416 past the end', async () => {
    const r = await get(port, '/xen', { headers: { range: 'bytes=2-9' } });
    assert.equal(r.status, 206);
    assert.ok(r.body.equals(set.bytes.xen.subarray(2, 10)));
    assert.equal(r.headers['content-range'], `bytes 2-9/${set.bytes.xen.length}`);
    const tail = await get(port, '/xen', { headers: { range: 'bytes=-4' } });
    assert.ok(tail.body.equals(set.bytes.xen.subarray(-4)));
    const past = await get(port, '/xen', { headers: { range: 'bytes=99999999-' } });
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], `bytes */${set.bytes.xen.length}`);
  });

  it('reaches nothing outside the map: traversal, encoded traversal, absolute paths, directories', async () => {
    const secretName = set.secret.slice(set.root.length - 'images'.length);
    const attempts: [string, number][] = [
      ['/../shadow', 404],
      [`/${'../'.repeat(8)}etc/passwd`, 404],
      ['/%2e%2e/shadow', 404],
      ['/%2E%2E%2Fshadow', 404],
      ['/dom0/..%2f..%2fshadow', 404],
      ['/dom0/../xen', 404],
      ['/guest/../xen', 404],
      [`/${secretName}`, 404],
      [`/${set.secret}`, 404],
      ['//etc/passwd', 404],
      ['/', 404],
      ['/dom0', 404],
      ['/dom0/', 404],
      ['/guest/', 404],
      ['/xen%00', 404],
      ['/%zz', 400],
      [set.secret, 404],
      ['*', 400],
      ['http://127.0.0.1/xen', 400],
    ];
    for (const [path, status] of attempts) {
      const r = await get(port, path);
      assert.equal(r.status, status, path);
      assert.ok(!r.body.toString().includes(SECRET_TEXT), path);
      assert.ok(!r.body.includes(set.bytes.xen.subarray(0, 16)), `${path} served Xen`);
    }
  });

  it('does not follow a served file swapped for a symlink after it started', async () => {
    const set2 = makeImageSet();
    const s2 = await startBootServer(pxeRig(set2));
    try {
      rmSync(join(set2.root, 'vmlinuz'));
      symlinkSync(set2.secret, join(set2.root, 'vmlinuz'));
      const r = await get(s2.listening.port, '/dom0/kernel');
      assert.notEqual(r.status, 200);
      assert.ok(!r.body.toString().includes(SECRET_TEXT));
    } finally {
      await s2.close();
    }
  });

  it('serves nothing outside the root when a directory on the way is swapped for a symlink after start (#24 N6)', async () => {
    const set2 = makeImageSet();
    const s2 = await startBootServer(pxeRig(set2));
    try {
      // The guest folder becomes a link to a folder outside the root holding a same-named file.
      const outside = join(set2.root, '..', 'elsewhere');
      mkdirSync(outside);
      writeFileSync(join(outside, 'initrd.gz'), SECRET_TEXT);
      renameSync(join(set2.root, 'guest'), join(set2.root, 'guest.old'));
      symlinkSync(outside, join(set2.root, 'guest'));
      const r = await get(s2.listening.port, '/guest/guest/initrd.gz');
      assert.equal(r.status, 403);
      assert.ok(!r.body.toString().includes(SECRET_TEXT));
      // Put back, it is served again: the check is made at each request.
      rmSync(join(set2.root, 'guest'));
      renameSync(join(set2.root, 'guest.old'), join(set2.root, 'guest'));
      assert.deepEqual((await get(s2.listening.port, '/guest/guest/initrd.gz')).body, set2.bytes.guest);
    } finally {
      await s2.close();
    }
  });

  it('answers at once for a served file swapped for a FIFO, and keeps serving the rest (#24 N7)', async () => {
    const set2 = makeImageSet();
    const s2 = await startBootServer(pxeRig(set2));
    try {
      rmSync(join(set2.root, 'vmlinuz'));
      execFileSync('mkfifo', [join(set2.root, 'vmlinuz')]);
      const p = s2.listening.port;
      // More requests than libuv's pool has threads (4): a blocking open would hold them all.
      const t0 = Date.now();
      const answers = await Promise.all(Array.from({ length: 6 }, () => get(p, '/dom0/kernel')));
      assert.deepEqual(
        answers.map((a) => a.status),
        [403, 403, 403, 403, 403, 403],
      );
      const xen = await get(p, '/xen');
      assert.equal(xen.status, 200);
      assert.deepEqual(xen.body, set2.bytes.xen);
      assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    } finally {
      await s2.close();
    }
  });

  it('logs every request: method, path, status, bytes, duration and client; served lists the fetched files', async () => {
    const set3 = makeImageSet();
    const s3 = await startBootServer(pxeRig(set3));
    try {
      const p = s3.listening.port;
      await get(p, '/boot.ipxe');
      await get(p, '/dom0/initrd');
      await get(p, '/xen', { method: 'HEAD' });
      await get(p, '/%2e%2e/shadow');
      await s3.close();
      const e = s3.log.entries;
      assert.deepEqual(
        e.map((x) => [x.method, x.path, x.status, x.bytes]),
        [
          ['GET', '/boot.ipxe', 200, Buffer.byteLength(s3.script)],
          ['GET', '/dom0/initrd', 200, set3.bytes.initrd.length],
          ['HEAD', '/xen', 200, 0],
          ['GET', '/%2e%2e/shadow', 404, 'not found\n'.length],
        ],
      );
      for (const x of e) {
        assert.equal(x.client, '127.0.0.1');
        assert.ok(Number.isInteger(x.ms) && x.ms >= 0);
        assert.ok(!Number.isNaN(Date.parse(x.at)));
      }
      assert.deepEqual(
        s3.log.served().map((x) => [x.path, x.bytes, x.client, x.complete]),
        [
          ['/boot.ipxe', Buffer.byteLength(s3.script), '127.0.0.1', true],
          ['/dom0/initrd', set3.bytes.initrd.length, '127.0.0.1', true],
        ],
      );
      assert.ok(s3.log.fetched('/boot.ipxe'));
      assert.ok(!s3.log.fetched('/boot.ipxe', 1), 'only before entry 1');
      assert.ok(!s3.log.fetched('/xen'), 'a HEAD is no fetch');
    } finally {
      await s3.close();
    }
  });

  it('logs an aborted download as such, with the bytes sent and the client, in served() too (#24 N15)', async () => {
    const set2 = makeImageSet();
    // Larger than what the socket buffers take at once: the server is mid-body when the client goes.
    writeFileSync(join(set2.root, 'dom0.cpio.gz'), Buffer.alloc(64 * 1024 * 1024, 1));
    const s2 = await startBootServer(pxeRig(set2));
    try {
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: s2.listening.port, path: '/dom0/initrd' }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
        req.end();
      });
      for (let i = 0; i < 100 && !s2.log.entries.length; i++) await new Promise((r) => setTimeout(r, 20));
      const [e] = s2.log.entries;
      assert.ok(e);
      assert.equal(e.complete, false);
      assert.ok(e.bytes < 64 * 1024 * 1024, `${e.bytes} B logged as sent`);
      assert.match(formatEntry(e), /^127\.0\.0\.1 GET \/dom0\/initrd 200 ABORTED \d+ B/);
      assert.deepEqual(
        s2.log.served().map((x) => [x.path, x.client, x.complete]),
        [['/dom0/initrd', '127.0.0.1', false]],
      );
    } finally {
      await s2.close();
    }
  });

  it('refuses and logs CONNECT (#24 N15)', async () => {
    const before = srv.log.entries.length;
    const reply = await rawRequest(
      port,
      Buffer.from('CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n'),
    );
    assert.match(reply, /^HTTP\/1\.1 405 /);
    assert.deepEqual(
      srv.log.entries.slice(before).map((x) => [x.method, x.path, x.status]),
      [['CONNECT', 'example.org:443', 405]],
    );
  });

  it('shows a bounded number of requests live, keeps counting the rest (#24 N15)', () => {
    const log = new RequestLog();
    const shown: string[] = [];
    log.onEntry((e) => shown.push(e.path));
    const e = { at: '', method: 'GET', status: 404, bytes: 0, ms: 0, client: '10.0.0.9', complete: true };
    for (let i = 0; i < SHOWN_MAX + 50; i++) log.add({ ...e, path: `/${i}` });
    assert.equal(shown.length, SHOWN_MAX + 1);
    assert.match(shown.at(-1)!, /further ones are not shown/);
    assert.equal(log.entries.length, SHOWN_MAX + 50);
  });

  it('drops a client trickling its request body (#24 N16)', async () => {
    const log = new RequestLog();
    const server = createBootHttpServer(new Map(), log, { requestTimeoutMs: 1500 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const p = (server.address() as AddressInfo).port;
    const sock = connect(p, '127.0.0.1');
    sock.on('error', () => {});
    sock.write('POST /xen HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
    const drip = setInterval(() => sock.writable && sock.write('a'), 200);
    const t0 = Date.now();
    try {
      await new Promise<void>((resolve) => sock.on('close', () => resolve()));
      assert.ok(Date.now() - t0 < 6000, `dropped after ${Date.now() - t0} ms`);
    } finally {
      clearInterval(drip);
      sock.destroy();
      server.close();
    }
  });

  it('logs what the HTTP parser refuses too, and every logged target is printable', async () => {
    const before = srv.log.entries.length;
    await get(port, '/x%1b[2J');
    // Raw bytes no client library sends: a C1 CSI and a DEL in the target; the parser refuses both.
    await rawRequest(port, Buffer.from('GET /a\x9b[2J HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'));
    const refused = await rawRequest(port, Buffer.from('GET /\x7fy HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'));
    assert.match(refused, /^HTTP\/1\.1 400 /);
    const logged = srv.log.entries.slice(before);
    assert.deepEqual(
      logged.map((x) => [x.path, x.status]),
      [
        ['/x%1b[2J', 404],
        ['(unparsable request: HPE_INVALID_URL)', 400],
        ['(unparsable request: HPE_INVALID_URL)', 400],
      ],
    );
    for (const x of logged) assertNoControlBytes(x.path);
  });

  it('stops answering once closed', async () => {
    const set4 = makeImageSet();
    const s4 = await startBootServer(pxeRig(set4));
    await s4.close();
    await assert.rejects(get(s4.listening.port, '/boot.ipxe'), /ECONNREFUSED/);
  });
});

describe('pxe/http-server parseRange', () => {
  it('reads one range and ignores what it need not honour', () => {
    assert.deepEqual(parseRange('bytes=0-0', 10), [0, 0]);
    assert.deepEqual(parseRange('bytes=5-', 10), [5, 9]);
    assert.deepEqual(parseRange('bytes=3-100', 10), [3, 9]);
    assert.deepEqual(parseRange('bytes=-3', 10), [7, 9]);
    assert.equal(parseRange('bytes=0-1,4-5', 10), undefined);
    assert.equal(parseRange('items=0-1', 10), undefined);
    assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-2', 10), 'unsatisfiable');
  });
});
