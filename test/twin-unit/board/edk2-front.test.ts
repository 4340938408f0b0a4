import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseBootMenu } from '../../../lib/boot/uefi-boot-menu.ts';
import { screenRows } from '../../../lib/boot/uefi-screen.ts';
import { parseFirmwareLog } from '../../../lib/firmware/banner.ts';
import { flavourOfConsole } from '../../../lib/firmware/flavour.ts';
import {
  type BootChoice,
  bootEntries,
  EDK2_PROMPT,
  Edk2Front,
  type Edk2Key,
  ESC_WAIT_MS,
  IPXE_ENTRY,
  KeyDecoder,
  renderMenu,
  SHELL_ENTRY,
} from '../../../twin/board/edk2-front.ts';

const F10 = '\x1b[21~';
const DOWN = '\x1b[B';
const UP = '\x1b[A';
const DEL = '\x1b[3~';

function decode(chunks: string[]): Edk2Key[] {
  const keys: Edk2Key[] = [];
  const d = new KeyDecoder((k) => keys.push(k));
  for (const c of chunks) d.feed(Buffer.from(c, 'latin1'));
  d.close();
  return keys;
}

function drive(networkBoot: boolean, keys: string[]): { screen: string; choice?: BootChoice; why?: string } {
  const r: { screen: string; choice?: BootChoice; why?: string } = { screen: '' };
  const front = new Edk2Front(
    bootEntries(networkBoot),
    (t) => {
      r.screen += t;
    },
    (c, why) => {
      r.choice = c;
      r.why = why;
    },
  );
  const d = new KeyDecoder((k) => front.key(k));
  front.start();
  for (const k of keys) d.feed(Buffer.from(k, 'latin1'));
  d.close();
  if (!r.choice) front.timeout();
  return r;
}

describe("twin's Dasharo UEFI prompt and boot menu", () => {
  it("prints edk2's three prompt lines as Dasharo's PlatformBootManager formats them (%-5s)", () => {
    assert.equal(
      EDK2_PROMPT.split('\r\n').slice(0, 3).join('\n'),
      'DEL   to enter Setup\nF10   to enter Boot Manager Menu\nENTER to boot directly',
    );
  });

  it('decodes F10, DEL and the arrows whole or typed a byte at a time; Enter from CR or LF', () => {
    assert.deepEqual(decode([F10, DEL, DOWN, UP, '\r']), ['f10', 'del', 'down', 'up', 'enter']);
    assert.deepEqual(decode([...F10, ...DOWN, '\n']), ['f10', 'down', 'enter']);
    assert.deepEqual(decode(['x', 'n', '\x1b[99~', F10]), ['f10'], 'other keys and unknown sequences are dropped');
  });

  it('a lone ESC is a key once the rest of a sequence fails to come', async () => {
    const keys: Edk2Key[] = [];
    const d = new KeyDecoder((k) => keys.push(k));
    d.feed(Buffer.from('\x1b'));
    assert.deepEqual(keys, []);
    await new Promise((r) => setTimeout(r, ESC_WAIT_MS + 100));
    assert.deepEqual(keys, ['esc']);
    d.feed(Buffer.from(`\x1b${F10}`));
    assert.deepEqual(keys, ['esc', 'esc', 'f10'], 'ESC then a new sequence: the first ESC is a key');
    d.close();
  });

  it('NetworkBoot off: the menu has no "iPXE Network Boot"; nothing typed boots the UEFI Shell', () => {
    const r = drive(false, [F10]);
    assert.match(r.screen, /Please select boot device:/);
    assert.doesNotMatch(r.screen, /iPXE Network Boot/);
    assert.match(r.screen, /> UEFI Shell/);
    assert.deepEqual(bootEntries(false), [SHELL_ENTRY]);
    const quiet = drive(false, []);
    assert.equal(quiet.choice, 'shell');
    assert.match(quiet.why ?? '', /timed out/);
  });

  it('NetworkBoot on: F10 lists "iPXE Network Boot" first, Enter picks it; Down + Enter picks the shell', () => {
    assert.deepEqual(bootEntries(true), [IPXE_ENTRY, SHELL_ENTRY]);
    const ipxe = drive(true, [F10, '\r']);
    assert.equal(ipxe.choice, 'ipxe');
    // Read by iommu-lab's own parser of edk2's screen: the selection is drawn last, after the help.
    assert.deepEqual(parseBootMenu(ipxe.screen), { items: [IPXE_ENTRY, SHELL_ENTRY], selected: 0 });
    assert.match(ipxe.screen, /ESC to exit\x1b\[\d+;\d+H> iPXE Network Boot/);
    assert.equal(drive(true, [F10, DOWN, '\r']).choice, 'shell');
    assert.equal(drive(true, [F10, DOWN, DOWN, '\r']).choice, 'ipxe', 'Down past the last entry wraps to the first');
    assert.equal(drive(true, [F10, DOWN, UP, '\r']).choice, 'ipxe');
  });

  it('ENTER at the prompt, DEL (no setup on the twin) and ESC in the menu boot the first option', () => {
    assert.equal(drive(true, ['\r']).choice, 'ipxe');
    const del = drive(false, [DEL]);
    assert.equal(del.choice, 'shell');
    assert.match(del.screen, /does not emulate the setup menu/);
    assert.equal(drive(true, [F10, DOWN, '\x1bq']).choice, 'ipxe', 'ESC leaves the menu');
  });

  it('the menu marks the selected line only', () => {
    const m = renderMenu([IPXE_ENTRY, SHELL_ENTRY], 1);
    const rows = screenRows(m).map((r) => r.trim());
    assert.deepEqual(
      rows.filter((r) => r.includes(IPXE_ENTRY) || r.includes(SHELL_ENTRY)),
      [IPXE_ENTRY, `> ${SHELL_ENTRY}`],
    );
    assert.deepEqual(parseBootMenu(m), { items: [IPXE_ENTRY, SHELL_ENTRY], selected: 1 });
  });

  it('the recorded twin boots (test/fixtures/boot/dasharo-uefi-twin-*.bin) read as Dasharo UEFI to iommu-lab', () => {
    const fixture = (n: string) =>
      readFileSync(new URL(`../../fixtures/boot/dasharo-uefi-twin-${n}.bin`, import.meta.url)).toString('latin1');
    const boot = fixture('boot');
    assert.ok(boot.startsWith(EDK2_PROMPT), 'no coreboot banner or sign-on before the prompt');
    assert.equal(flavourOfConsole(parseFirmwareLog(boot), boot)?.flavour, 'dasharo-uefi');
    // The menu as edk2 draws it (cursor moves, the selection last), read by the run's own parser.
    const selected = `> ${IPXE_ENTRY}`;
    const drawn = boot.indexOf(selected, boot.indexOf('ESC to exit')) + selected.length;
    assert.deepEqual(parseBootMenu(boot.slice(0, drawn)), {
      items: [IPXE_ENTRY, SHELL_ENTRY],
      selected: 0,
    });
    assert.doesNotMatch(boot, /Press Ctrl-B/, "Dasharo's iPXE never offers Ctrl-B: the twin drops its stand-in's line");
    assert.match(boot, /Dasharo Network Boot Menu[\s\S]*You are now in iPXE shell/);
    assert.match(boot, /\(XEN\) Bootloader: GRUB 2\.06/);
    // dom0's kernel names the SMBIOS identity (the rest of its line interleaves with Xen's console).
    assert.match(boot, /DMI: PC Engines apu2, BIOS Dasha/);
    const off = fixture('no-networkboot');
    assert.deepEqual(parseBootMenu(off.slice(0, off.indexOf('ESC to exit') + 11)), {
      items: [SHELL_ENTRY],
      selected: 0,
    });
    assert.doesNotMatch(off, /iPXE/);
  });
});
