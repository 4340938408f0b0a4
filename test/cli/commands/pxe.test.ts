// `iommu-lab pxe serve` as a bench owner runs it: a real CLI process, a real image set.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from '../../../lib/core/time.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { makeImageSet, pxeRig } from '../../pxe/image-set.ts';
import { baseRig } from '../../rig/base-rig.ts';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A rig file serving a fresh image set; `files` overrides boot.server.files. */
async function rigFile(files: Record<string, unknown> = {}) {
  const set = makeImageSet();
  const rig = pxeRig(set, files, await freePort());
  rig.lock = { kind: 'local', dir: tempDir('pxe-cli-lock-'), ttlMs: 60_000 };
  const file = join(tempDir('pxe-cli-'), 'rig.json');
  writeFileSync(file, JSON.stringify(rig));
  return { set, rig, file };
}

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/iommu-lab.js', ...args], { encoding: 'utf8' });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('cli: pxe serve', function () {
  this.timeout(30_000);

  it('--dry-run prints the files with sizes and SHA-256, the script and what is typed into iPXE', async () => {
    const { set, rig, file } = await rigFile();
    const r = cli('pxe', 'serve', '--rig', file, '--dry-run');
    assert.equal(r.status, 0, r.stderr);
    const port = rig.boot.server!.listen.port;
    assert.match(r.stdout, new RegExp(`/xen +${set.bytes.xen.length} B  sha256 ${sha(set.bytes.xen)}  Xen: `));
    assert.match(r.stdout, new RegExp(`/dom0/initrd +${set.bytes.initrd.length} B  sha256 ${sha(set.bytes.initrd)}`));
    assert.match(r.stdout, new RegExp(`kernel http://127\\.0\\.0\\.1:${port}/xen iommu=verbose`));
    assert.match(
      r.stdout,
      /at "N for PXE boot": "n"\n {2}at the PC Engines iPXE menu \("autoboot", 3 s\): arrow-up, Enter \("ipxe shell"\)\n {2}then typed 0 ms a character:\n {4}iPXE> dhcp net0\n {4}iPXE> chain http:\/\/127\.0\.0\.1:\d+\/boot\.ipxe/,
    );
    // Nothing listens in a dry run.
    assert.doesNotMatch(r.stdout, /serving until/);
  });

  it('--dry-run of a UEFI rig: the keys at the UEFI prompt and menu, the chain of GRUB EFI, and the grub.cfg it loads', async () => {
    const { rig, file } = await rigFile();
    rig.boot.network = {
      method: 'ipxe-shell',
      entry: 'uefi-boot-manager',
      key: false,
      prompt: '',
      charDelayMs: 0,
      interface: 'net0',
    };
    writeFileSync(file, JSON.stringify(rig));
    const r = cli('pxe', 'serve', '--rig', file, '--dry-run');
    assert.equal(r.status, 0, r.stderr);
    const port = rig.boot.server!.listen.port;
    assert.match(r.stdout, new RegExp(`^ {6}multiboot2 '\\(http,127\\.0\\.0\\.1:${port}\\)/xen' 'iommu=verbose'`, 'm'));
    assert.match(
      r.stdout,
      /at "ENTER to boot directly" \(6 s\): F10; .*"iPXE Network Boot".*\n {2}then typed 0 ms a character:\n {4}iPXE> dhcp net0\n {4}iPXE> chain http:\/\/127\.0\.0\.1:\d+\/efi\/grubx64\.efi/,
    );
  });

  it('--dry-run shows every file that cannot be served, then exits 2 with the first as one line', async () => {
    const { file } = await rigFile({ xen: 'no-xen', dom0Initrd: 'no-initrd' });
    const r = cli('pxe', 'serve', '--rig', file, '--dry-run');
    assert.equal(r.status, 2);
    assert.match(
      r.stdout,
      /\/xen +NOT SERVABLE \(PXE_IMAGE_MISSING\): boot\.server\.files\.xen: \S+no-xen does not exist/,
    );
    assert.match(r.stdout, /\/dom0\/initrd +NOT SERVABLE/);
    assert.match(r.stdout, /\/dom0\/kernel +\d+ B {2}sha256/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^iommu-lab: pxe error \(PXE_IMAGE_MISSING\): boot\.server\.files\.xen: /);
  });

  it('refuses a rig without boot.server in one line', () => {
    const file = join(tempDir('pxe-cli-'), 'rig.json');
    writeFileSync(file, JSON.stringify(baseRig));
    const r = cli('pxe', 'serve', '--rig', file, '--dry-run');
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      'iommu-lab: rig bench-3 has no boot.server: its lab serves the boot itself (README: "Network boot from iommu-lab")\n',
    );
  });

  it('serves until Ctrl-C, printing each request, and frees the port', async () => {
    const { rig, file } = await rigFile();
    const port = rig.boot.server!.listen.port;
    const p = spawn(process.execPath, ['bin/iommu-lab.js', 'pxe', 'serve', '--rig', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    for (let i = 0; i < 200 && !out.includes('serving until Ctrl-C'); i++) await sleep(50);
    assert.match(out, /serving until Ctrl-C/);
    const status = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port, path: '/boot.ipxe' }, (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      })
        .on('error', reject)
        .end(),
    );
    assert.equal(status, 200);
    for (let i = 0; i < 100 && !/GET \/boot\.ipxe 200/.test(out); i++) await sleep(50);
    assert.match(out, /boot server: 127\.0\.0\.1 GET \/boot\.ipxe 200 \d+ B \d+ ms/);
    p.kill('SIGINT');
    const [code] = await once(p, 'exit');
    assert.equal(code, 130, out);
    await assert.rejects(
      new Promise((resolve, reject) =>
        request({ host: '127.0.0.1', port, path: '/' }, resolve).on('error', reject).end(),
      ),
      /ECONNREFUSED/,
    );
  });
});
