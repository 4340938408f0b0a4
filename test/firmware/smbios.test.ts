// The firmware identity dom0 reads from SMBIOS, through a real SSH server running the real command
// against DMI files laid out as Linux shows them (/sys/class/dmi/id), and what is made of it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flavourOfSmbios, parseSmbios, readSmbios, SMBIOS_SOURCE } from '../../lib/firmware/smbios.ts';
import { openRemote } from '../../lib/remote/ssh.ts';
import type { RemoteShell } from '../../lib/remote/types.ts';
import { startSshServer, type TestSshServer } from '../helpers/ssh-server.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const PW_ENV = 'IOMMU_LAB_TEST_SMBIOS_PW';

describe('firmware/smbios: identity from dom0', () => {
  let server: TestSshServer;
  let shell: RemoteShell;
  before(async () => {
    process.env[PW_ENV] = randomBytes(12).toString('hex');
    server = await startSshServer({ password: process.env[PW_ENV], killOnClose: false });
    shell = await openRemote(server.target({ password: { env: PW_ENV } }), 'dom0');
  });
  after(async () => {
    await shell?.close();
    await server?.close();
  });

  it('reads bios_vendor, bios_version, sys_vendor and product_name over SSH; a missing file is unknown', async () => {
    const dir = join(tempDir('dmi-'), "id with space'");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bios_version'), 'Dasharo (coreboot+UEFI) v0.9.1\n');
    writeFileSync(join(dir, 'product_name'), 'apu2\n');
    writeFileSync(join(dir, 'sys_vendor'), 'PC Engines\n');
    const s = await readSmbios(shell, dir);
    assert.deepEqual(s, {
      biosVendor: null,
      biosVersion: 'Dasharo (coreboot+UEFI) v0.9.1',
      sysVendor: 'PC Engines',
      productName: 'apu2',
    });
    assert.deepEqual(flavourOfSmbios(s!), {
      flavour: 'dasharo-uefi',
      version: 'v0.9.1',
      versionFrom: SMBIOS_SOURCE,
      why: 'SMBIOS BIOS version "Dasharo (coreboot+UEFI) v0.9.1"',
    });
  });

  it('a dom0 without DMI in sysfs says nothing: undefined, not a guess', async () => {
    assert.equal(await readSmbios(shell, join(tempDir('dmi-'), 'absent')), undefined);
  });

  it('parses the name=value lines; a version of no known family gives no verdict', () => {
    const s = parseSmbios('bios_vendor=coreboot\nbios_version=American Megatrends 1.0\nproduct_name=\n');
    assert.deepEqual(s, {
      biosVendor: 'coreboot',
      biosVersion: 'American Megatrends 1.0',
      sysVendor: null,
      productName: null,
    });
    assert.equal(flavourOfSmbios(s), undefined);
  });
});
