// A fake sysfs PCI device directory, laid out as Linux shows one: vendor/device as "0x8086\n",
// a 256-byte config space, a 128 KiB resource0 (a regular file mmaps like a BAR), and
// optionally a bound driver (driver -> ../drivers/NAME with bind/unbind files).
import { mkdir, mkdtemp, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeDevice {
  root: string;
  dir: string;
  driverDir: string | null;
}

export async function fakePciDevice(
  deviceId: string,
  opts: { driver?: string; command?: number } = {},
): Promise<FakeDevice> {
  const root = await mkdtemp(join(tmpdir(), 'iommu-lab-sysfs-'));
  const dir = join(root, 'devices', '0000:00:05.0');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'vendor'), '0x8086\n');
  await writeFile(join(dir, 'device'), `0x${deviceId}\n`);
  const config = Buffer.alloc(256);
  config.writeUInt16LE(0x8086, 0);
  config.writeUInt16LE(Number.parseInt(deviceId, 16), 2);
  config.writeUInt16LE(opts.command ?? 0x0400, 4); // INTx disabled, as Linux leaves an unbound NIC
  await writeFile(join(dir, 'config'), config);
  await writeFile(join(dir, 'resource0'), '');
  await truncate(join(dir, 'resource0'), 128 * 1024);
  let driverDir: string | null = null;
  if (opts.driver) {
    driverDir = join(root, 'drivers', opts.driver);
    await mkdir(driverDir, { recursive: true });
    await writeFile(join(driverDir, 'bind'), '');
    await writeFile(join(driverDir, 'unbind'), '');
    await symlink(join('..', '..', 'drivers', opts.driver), join(dir, 'driver'));
  }
  return { root, dir, driverDir };
}
