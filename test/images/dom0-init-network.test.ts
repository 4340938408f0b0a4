// dom0 /init's network section run for real by sh, with ip and busybox stubbed and sysfs, the
// network file and the console moved into a temp folder: the commands it issues per profile.
// The twin's must stay what the twin always ran (static 10.0.2.15 via 10.0.2.2 on 01:00.0's NIC).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES_DIR } from '../../lib/images/files.ts';
import { type Addressing, renderNetworkConfig } from '../../lib/images/profile.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const init = readFileSync(join(FILES_DIR, 'dom0-init.sh'), 'utf8');
const section = init.slice(init.indexOf('. /etc/iommu-lab/dom0-network'), init.indexOf('# -s: keys only'));

/** Runs the section; `lease` says whether the stubbed udhcpc gets an address. */
function run(address: Addressing, opts: { nicAt?: string; lease?: boolean } = {}): string[] {
  const dir = tempDir('dom0-init-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'sys/bus/pci/devices', opts.nicAt ?? '0000:01:00.0', 'net', 'eth0'), { recursive: true });
  writeFileSync(join(dir, 'network'), renderNetworkConfig(address, '0000:01:00.0'));
  const log = join(dir, 'log');
  const stub = (name: string, body = '') => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >>'${log}'\n${body}`);
    chmodSync(join(bin, name), 0o755);
  };
  // `ip -4 -o addr show` prints an inet line only once someone added one (the lease, or static).
  stub(
    'ip',
    `case "$*" in "addr add "*) touch '${dir}/has-addr';; "-4 -o addr show"*) [ -e '${dir}/has-addr' ] && echo "2: eth0 inet 1.2.3.4/24";; esac\nexit 0`,
  );
  stub('busybox', opts.lease ? `touch '${dir}/has-addr'` : '');
  stub('sleep');
  const script = section
    .replaceAll('/etc/iommu-lab/dom0-network', join(dir, 'network'))
    .replaceAll('/sys/', `${dir}/sys/`)
    .replaceAll('/dev/hvc0', join(dir, 'console'))
    .replaceAll('/var/log/udhcpc.log', join(dir, 'udhcpc.log'));
  const r = spawnSync('sh', ['-c', script], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  return [...lines, ...(r.stdout.trim() ? [`stdout: ${r.stdout.trim()}`] : [])];
}

describe('images: dom0 /init network section', () => {
  it("the twin's static profile issues exactly the commands the twin always ran", () => {
    assert.deepEqual(run({ kind: 'static', cidr: '10.0.2.15/24', gateway: '10.0.2.2' }), [
      'ip link set eth0 up',
      'ip addr add 10.0.2.15/24 dev eth0',
      'ip route add default via 10.0.2.2',
    ]);
  });

  it('a bench static address without a gateway adds no route', () => {
    assert.deepEqual(run({ kind: 'static', cidr: '192.168.10.201/24' }), [
      'ip link set eth0 up',
      'ip addr add 192.168.10.201/24 dev eth0',
    ]);
  });

  it('DHCP runs udhcpc on the NIC at the named PCI address, and stays there on a lease', () => {
    const cmds = run({ kind: 'dhcp' }, { lease: true });
    assert.equal(cmds[0], 'ip link set eth0 up');
    assert.match(cmds[1], /^busybox udhcpc -i eth0 -s \/etc\/udhcpc\.script .*-b /);
    assert.equal(cmds.length, 2);
  });

  it('DHCP without a lease falls back to the fixed address when one is given, and only then', () => {
    const fallback = run({ kind: 'dhcp', fallback: { cidr: '192.168.10.201/24', gateway: '192.168.10.1' } });
    assert.deepEqual(fallback.slice(2), [
      'ip -4 -o addr show dev eth0',
      'ip addr add 192.168.10.201/24 dev eth0',
      'ip route add default via 192.168.10.1',
    ]);
    assert.deepEqual(run({ kind: 'dhcp' }).slice(2), []);
  });

  it('says so on the console when the NIC is not there', () => {
    const cmds = run({ kind: 'dhcp' }, { nicAt: '0000:02:00.0' });
    assert.deepEqual(cmds, [
      'sleep 0.1',
      ...Array(49).fill('sleep 0.1'),
      'stdout: iommu-lab: no network interface at 0000:01:00.0',
    ]);
  });
});
