import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canaryCommand, p2mDumpCommand, probeCommand } from '../../lib/dma/commands.ts';

/** What a POSIX shell makes of a command line: its words. */
function words(cmd: string): string[] {
  const out = execFileSync('sh', ['-c', `set -- ${cmd}; printf '%s\\0' "$@"`]).toString();
  return out.split('\0').slice(0, -1);
}

describe('dma/commands', () => {
  it('builds the positive control and the target commands', () => {
    assert.equal(
      probeCommand({ binary: '/usr/bin/dma-probe', bdf: '00:05.0', target: 'positive', unbind: true, rebind: true }),
      '/usr/bin/dma-probe --device /sys/bus/pci/devices/0000:00:05.0 --positive --unbind --rebind',
    );
    assert.equal(
      probeCommand({
        binary: 'dma-probe',
        bdf: '0000:00:00.0',
        target: '0x7A3C5000',
        write: true,
        p2m: '/tmp/p2m.txt',
        loopback: 'phy',
        timeoutMs: 1500,
      }),
      'dma-probe --device /sys/bus/pci/devices/0000:00:00.0 --target 0x7a3c5000 --write --loopback phy --p2m /tmp/p2m.txt --timeout-ms 1500',
    );
  });

  it('quotes paths so the shell sees one word each', () => {
    const cmd = probeCommand({
      binary: "/opt/my probe's/dma-probe",
      bdf: '00:05.0',
      target: 'positive',
      p2m: '/tmp/a b;rm -rf x',
    });
    assert.deepEqual(words(cmd), [
      "/opt/my probe's/dma-probe",
      '--device',
      '/sys/bus/pci/devices/0000:00:05.0',
      '--positive',
      '--p2m',
      '/tmp/a b;rm -rf x',
    ]);
    assert.match(p2mDumpCommand(3, '/tmp/p 2m'), / dump-p2m 3 > '\/tmp\/p 2m'$/);
    assert.equal(canaryCommand('/root/dom0-canary'), '/root/dom0-canary');
  });

  it('finds xen-mfndump on PATH, else in the Xen tool folder Debian keeps off PATH (run by a real sh)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xen-tools-'));
    try {
      const tools = join(dir, 'lib/xen-4.17/bin');
      mkdirSync(tools, { recursive: true });
      writeFileSync(join(tools, 'xen-mfndump'), '#!/bin/sh\necho "off-path $*"\n', { mode: 0o755 });
      const out = join(dir, 'p2m 1.txt');
      const run = (path: string) => {
        execFileSync('sh', ['-c', p2mDumpCommand(7, out, join(dir, 'lib/xen-*/bin'))], { env: { PATH: path } });
        return readFileSync(out, 'utf8').trim();
      };
      assert.equal(run('/usr/bin:/bin'), 'off-path dump-p2m 7');
      const onPath = join(dir, 'bin');
      mkdirSync(onPath);
      writeFileSync(join(onPath, 'xen-mfndump'), '#!/bin/sh\necho "on-path $*"\n', { mode: 0o755 });
      assert.equal(run(`${onPath}:/usr/bin:/bin`), 'on-path dump-p2m 7');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses control characters, bad addresses and bad domain ids', () => {
    assert.throws(
      () => probeCommand({ binary: 'dma-probe\n', bdf: '00:05.0', target: 'positive' }),
      /control character/,
    );
    assert.throws(() => probeCommand({ binary: 'dma-probe', bdf: '5.0', target: 'positive' }), /not a PCI address/);
    assert.throws(
      () => probeCommand({ binary: 'dma-probe', bdf: '00:05.0', target: '0x12; reboot' }),
      /not a bus address/,
    );
    assert.throws(() => p2mDumpCommand(0, '/tmp/x'), /not a guest domain id/);
  });
});
