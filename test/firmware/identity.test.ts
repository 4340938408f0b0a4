// Which firmware ran: the console where it names itself, dom0's SMBIOS where it does not.
import assert from 'node:assert/strict';
import { consoleNamesNoVersion, runningIdentity } from '../../lib/firmware/identity.ts';

const UEFI_LOG = 'DEL   to enter Setup\r\nF10   to enter Boot Manager Menu\r\nENTER to boot directly\r\n';

describe('firmware/identity', () => {
  it('is asked only when the console named no version; the console keeps precedence where it names one', () => {
    assert.equal(consoleNamesNoVersion(UEFI_LOG), true);
    const seabios = 'PC Engines apu2\r\ncoreboot build 19700101\r\nBIOS version v24.08.00.01\r\n';
    assert.equal(consoleNamesNoVersion(seabios), false);
    const smbios = {
      biosVendor: '3mdeb',
      biosVersion: 'Dasharo (coreboot+UEFI) v0.9.1',
      sysVendor: 'PC Engines',
      productName: 'apu2',
    };
    const uefi = runningIdentity({ firmwareLog: UEFI_LOG, smbios });
    assert.deepEqual(
      [uefi.board, uefi.boardFrom, uefi.verdict?.version],
      ['PC Engines apu2', 'dom0 SMBIOS (sys_vendor, product_name)', 'v0.9.1'],
    );
    // Without sys_vendor the product alone is the board (what dom0 could read).
    const bare = runningIdentity({ firmwareLog: UEFI_LOG, smbios: { ...smbios, sysVendor: null } });
    assert.equal(bare.board, 'apu2');
    const sb = runningIdentity({ firmwareLog: seabios, smbios });
    assert.deepEqual(
      [sb.board, sb.boardFrom, sb.verdict?.version],
      ['PC Engines apu2', 'console: sign-on', 'v24.08.00.01'],
    );
  });
});
