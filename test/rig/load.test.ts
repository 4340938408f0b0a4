import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUsageError } from '../../lib/core/errors.ts';
import { listRigFiles, loadRig, loadRigWithInput, validateRig } from '../../lib/rig/load.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { baseRig } from './base-rig.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests poke arbitrary keys into a rig on purpose
type Loose = Record<string, any>;
type Mutate = (r: Loose) => void;

// Each malformed rig must give exactly one line naming the file and the key path.
const cases: [string, Mutate, RegExp][] = [
  ['wrong integer type', (r) => (r.power.relayGpio = '9'), /^power\.relayGpio: expected integer, got "9"/],
  ['fractional gpio', (r) => (r.power.relayGpio = 1.5), /^power\.relayGpio: expected integer/],
  ['unknown top-level key', (r) => (r.colour = 'blue'), /^unknown key "colour"/],
  ['unknown nested key', (r) => (r.console.baud = 9600), /^console: unknown key "baud"/],
  ['unknown power kind', (r) => (r.power = { kind: 'zap' }), /^power\.kind: unknown kind "zap"/],
  ['missing name', (r) => delete r.name, /^name: missing \(expected string\)/],
  ['bad name', (r) => (r.name = 'Bench 3'), /^name: kebab-case, got "Bench 3"/],
  [
    'bad NIC address',
    (r) => (r.board.nics[1].pci = '2:0.0'),
    /^board\.nics\[1\]\.pci: a PCI address like 02:00\.0 \(.*\), got "2:0\.0"/,
  ],
  ['no NICs', (r) => (r.board.nics = []), /^board\.nics: /],
  [
    'chip size as string',
    (r) => (r.board.flash.sizeBytes = '8M'),
    /^board\.flash\.sizeBytes: expected integer, got "8M"/,
  ],
  ['negative timeout', (r) => (r.power.timeoutMs = -1), /^power\.timeoutMs: /],
  ['port out of range', (r) => (r.console.port = 70000), /^console\.port: /],
  ['bad URL', (r) => (r.power.url = 'not a url'), /^power\.url: /],
  ['literal password', (r) => (r.dom0.password = 'hunter22'), /^dom0\.password: /],
  ['secret env lower-case', (r) => (r.dom0.password = { env: 'lower' }), /^dom0\.password/],
  ['no host key policy', (r) => delete r.dom0.hostKey, /^dom0\.hostKey: missing/],
  ['bad fingerprint', (r) => (r.dom0.hostKey = { fingerprint: 'MD5:aa' }), /^dom0\.hostKey/],
  ['acceptAny false', (r) => (r.dom0.hostKey = { acceptAny: false }), /^dom0\.hostKey/],
  [
    'capability not boolean',
    (r) => (r.capabilities.iommu = 'yes'),
    /^capabilities\.iommu: expected boolean, got "yes"/,
  ],
  ['bad guest type', (r) => (r.guests = { types: ['kvm'] }), /^guests\.types\[0\]: /],
  [
    'HVM boot disk path that would split qemu -drive',
    (r) => (r.guests = { types: ['hvm'], hvm: { bootDisk: '/srv/a,file=/etc/shadow' } }),
    /^guests\.hvm\.bootDisk: an absolute path in dom0 of letters, digits and "\._\/-"/,
  ],
  [
    'HVM command line beside a boot disk (which carries its own)',
    (r) => (r.guests = { types: ['hvm'], hvm: { bootDisk: '/srv/hvm.img', cmdline: 'console=ttyS0' } }),
    /^guests\.hvm\.cmdline: cmdline is for direct kernel boot/,
  ],
  ['voltage missing in spi mux', (r) => delete r.flasher.spiMux.voltage, /^flasher\.spiMux\.voltage: missing/],
  ['bad voltage', (r) => (r.flasher.spiMux.voltage = '5V'), /^flasher\.spiMux\.voltage: /],
  ['flash power state unknown', (r) => (r.flasher.powerState = 'S3'), /^flasher\.powerState: /],
  [
    'power-button hold shorter than the 4 s override',
    (r) => (r.flasher.s5 = { holdMs: 3000 }),
    /^flasher\.s5\.holdMs: expected integer from 4000 to 60000 ms \(the power-button override needs 4 s\)/,
  ],
  ['WP pin without its RTE', (r) => (r.flasher.writeProtect = { gpio: 12 }), /^flasher\.writeProtect\.url: missing/],
  [
    'S5 flash (the default) without a power button',
    (r) => delete r.power.powerButtonGpio,
    /^power\.powerButtonGpio: missing \(the flasher puts the board into S5 \(flasher\.powerState, the default\) by holding the power button/,
  ],
  ['unknown boot method', (r) => (r.boot.network = { method: 'usb' }), /^boot\.network\.method: unknown method "usb"/],
  ['retries too high', (r) => (r.boot.retries = 99), /^boot\.retries: /],
  ['threshold too high', (r) => (r.traffic = { peer: { host: 'p' }, threshold: 5 }), /^traffic\.threshold: /],
  ['lock kind unknown', (r) => (r.lock = { kind: 'flock' }), /^lock\.kind: unknown kind "flock"/],
  ['console is an array', (r) => (r.console = []), /^console: /],
  // A literal secret (or `process.env.X` in a .ts rig) is refused without being shown.
  [
    'literal password, not shown',
    (r) => (r.dom0.password = 'hunter22'),
    /^dom0\.password: a literal string \(not shown\): a secret names where to read it, \{ env: "NAME" \} or \{ file: "path" \}$/,
  ],
  [
    'literal Tasmota password, not shown',
    (r) => (r.power = { kind: 'tasmota', url: 'http://plug', password: 'hunter22' }),
    /^power\.password: a literal string \(not shown\)/,
  ],
  [
    'secret as an object of the wrong shape',
    (r) => (r.dom0.password = { value: 'x' }),
    /^dom0\.password: expected \{ env/,
  ],
  // Rules between keys.
  [
    'ssh lock without a controller',
    (r) => {
      delete r.flasher;
      r.lock = { kind: 'ssh' };
    },
    /^lock: kind "ssh" keeps the lock on the bench controller \(flasher\.controller\), and the rig has none; use kind "local"$/,
  ],
  [
    'ssh flasher without a controller',
    (r) => delete r.flasher.controller,
    /^flasher\.controller: missing \(flasher\.where "ssh" runs flashrom on the bench controller: give its SSH target here\)$/,
  ],
  // One PCI address rule with the runtime (lib/xen/bdf.ts): slot 00-1f.
  [
    'PCI slot 0x20',
    (r) => (r.board.nics[1].pci = '02:20.0'),
    /^board\.nics\[1\]\.pci: a PCI address like 02:00\.0 \(bus 00-ff, slot 00-1f, function 0-7\), got "02:20\.0"$/,
  ],
  ['PCI slot 0xff', (r) => (r.capabilities.passthroughNic = '02:ff.0'), /^capabilities\.passthroughNic: a PCI address/],
  // Range errors say the range.
  ['port above range', (r) => (r.console.port = 70000), /^console\.port: expected integer from 1 to 65535, got 70000$/],
  ['negative gpio', (r) => (r.power.relayGpio = -1), /^power\.relayGpio: expected integer >= 0, got -1$/],
  ['retries above range', (r) => (r.boot.retries = 99), /^boot\.retries: expected integer from 0 to 10, got 99$/],
  // setTimeout(2^31) fires after 1 ms: every timeout is capped at 24 h.
  [
    'timeout that overflows setTimeout',
    (r) => (r.power.timeoutMs = 2147483648),
    /^power\.timeoutMs: expected integer from 0 to 86400000 ms \(24 h\), got 2147483648$/,
  ],
  [
    'stage timeout above 24 h',
    (r) => (r.boot.timeoutsMs = { dom0: 90_000_000 }),
    /^boot\.timeoutsMs\.dom0: expected integer from 0 to 86400000 ms/,
  ],
  // Values typed into iPXE or a firmware prompt: a newline would type a second command.
  [
    'iPXE chain URL with newlines',
    (r) => (r.boot.network = { method: 'ipxe-shell', chain: 'http://x/a.ipxe\nshell\nreboot' }),
    /^boot\.network\.chain: one line without newlines or control characters \(it is typed into the board\), got "http:\/\/x\/a\.ipxe\\nshell\\nreboot"$/,
  ],
  [
    'boot key ESC',
    (r) => (r.boot.network = { method: 'key', key: '\x1b[2J' }),
    /^boot\.network\.key: one line without/,
  ],
  [
    'Xen command line with CR',
    (r) => (r.boot.xenCommandLine = 'iommu=verbose\rboot'),
    /^boot\.xenCommandLine: one line/,
  ],
  // iPXE acts on these inside a line (ipxe src/core/exec.c) and has no quoting (#24 N5).
  [
    'Xen command line with an iPXE comment (the rest of the options dropped)',
    (r) => (r.boot.xenCommandLine = 'iommu=verbose # TODO loglvl=all'),
    /^boot\.xenCommandLine: "#" starts an iPXE comment: everything after it would be dropped; iPXE cannot quote it/,
  ],
  [
    'Xen command line with a second iPXE command',
    (r) => (r.boot.xenCommandLine = 'iommu=verbose && shell'),
    /^boot\.xenCommandLine: "&&" would start a second iPXE command/,
  ],
  [
    'dom0 command line with an iPXE setting expansion',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: iPXE's own ${…} syntax, on purpose
    (r) => (r.boot.server = { ...r.boot.server!, dom0CommandLine: 'console=hvc0 ip=${net0/ip}' }),
    /^boot\.server\.dom0CommandLine: "\$\{" would be expanded by iPXE as a setting/,
  ],
  [
    'ipxe-shell with nothing to chain',
    (r) => (r.boot.network = { method: 'ipxe-shell' }),
    /^boot\.network\.chain: missing \(ipxe-shell chains a script: give its URL here, or a boot\.server to serve it\)$/,
  ],
  [
    'typing delay above 5 s',
    (r) => (r.boot.network = { method: 'ipxe-shell', chain: 'http://x/b', charDelayMs: 9000 }),
    /^boot\.network\.charDelayMs: expected integer from 0 to 5000 ms/,
  ],
  [
    'served file outside the root',
    (r) => (r.boot.server = { ...server(), files: { ...server().files, xen: '../../etc/shadow' } }),
    /^boot\.server\.files\.xen: a path inside boot\.server\.root/,
  ],
  [
    'served file absolute',
    (r) => (r.boot.server = { ...server(), files: { ...server().files, dom0Initrd: '/etc/shadow' } }),
    /^boot\.server\.files\.dom0Initrd: a path inside/,
  ],
  [
    'advertised host with a space',
    (r) => (r.boot.server = { ...server(), advertise: { host: 'a b' } }),
    /^boot\.server\.advertise\.host: a host name/,
  ],
  [
    'dom0 command line with a newline',
    (r) => (r.boot.server = { ...server(), dom0CommandLine: 'console=hvc0\nshell' }),
    /^boot\.server\.dom0CommandLine: one line/,
  ],
  ['silence above 24 h', (r) => (r.boot.silenceMs = 1e12), /^boot\.silenceMs: expected integer from 0 to 86400000 ms/],
];

/** A valid boot.server section, for the cases that break one of its keys. */
function server(): Loose {
  return {
    advertise: { host: '10.0.0.9' },
    root: '/srv/apu2',
    files: { xen: 'xen', dom0Kernel: 'vmlinuz', dom0Initrd: 'dom0.cpio' },
  };
}

describe('rig validation', () => {
  for (const [what, mutate, expected] of cases) {
    it(`rejects ${what} with the key path`, () => {
      const raw = structuredClone(baseRig) as Loose;
      mutate(raw);
      try {
        validateRig(raw, 'rigs/bench-3.ts');
      } catch (e) {
        assert.ok(isUsageError(e), `not a usage error: ${e}`);
        assert.ok(!e.message.includes('\n'), `not one line: ${e.message}`);
        assert.ok(e.message.startsWith('rigs/bench-3.ts: '), e.message);
        assert.match(e.message.slice('rigs/bench-3.ts: '.length), expected);
        return;
      }
      assert.fail('accepted a malformed rig');
    });
  }

  it("flashes in S5 with OSFV's waits unless the rig says otherwise; G3 needs no power button", () => {
    const rig = validateRig(structuredClone(baseRig), 'x.ts');
    assert.equal(rig.flasher?.powerState, 'S5');
    assert.deepEqual(rig.flasher?.s5, { powerOnWaitMs: 10_000, holdMs: 6000, afterHoldMs: 10_000 });
    const mux = rig.flasher?.spiMux;
    assert.deepEqual([mux?.voltageSettleMs, mux?.vccSettleMs, mux?.settleMs], [2000, 2000, 10_000]);
    const raw = structuredClone(baseRig) as Loose;
    raw.flasher.cmosReset = { url: 'http://10.0.0.1:8000', gpio: 11 };
    assert.deepEqual(validateRig(raw, 'x.ts').flasher?.cmosReset, {
      url: 'http://10.0.0.1:8000',
      gpio: 11,
      holdMs: 10_000,
      delayMs: 2000,
    });
    delete raw.power.powerButtonGpio;
    raw.flasher.powerState = 'G3';
    assert.equal(validateRig(raw, 'x.ts').flasher?.powerState, 'G3');
  });

  it('never shows the value under a secret key', () => {
    for (const password of ['hunter22', 'hunter22-from-process-env']) {
      const raw = structuredClone(baseRig) as Loose;
      raw.dom0.password = password;
      assert.throws(
        () => validateRig(raw, 'x.ts'),
        (e: Error) => !e.message.includes(password),
      );
    }
  });

  it('accepts ipxe-shell without a chain URL when the rig serves its own boot, typing 500 ms a character', () => {
    const raw = structuredClone(baseRig) as Loose;
    raw.boot = { ...raw.boot, network: { method: 'ipxe-shell' }, server: server() };
    const rig = validateRig(raw, 'x.ts');
    assert.equal(rig.boot.network.method === 'ipxe-shell' && rig.boot.network.charDelayMs, 500);
    assert.deepEqual(rig.boot.server?.listen, { host: '0.0.0.0', port: 8080 });
    assert.deepEqual(rig.boot.server?.files.guests, []);
  });

  it('accepts upper-case hex in a PCI address, as the runtime does', () => {
    const raw = structuredClone(baseRig) as Loose;
    raw.board.nics[1].pci = '0000:0A:1F.7';
    assert.equal(validateRig(raw, 'x.ts').board.nics[1]!.pci, '0000:0A:1F.7');
  });

  it('accepts the base rig and fills defaults', () => {
    const rig = validateRig(structuredClone(baseRig), 'x.ts');
    assert.equal(rig.dom0.port, 22);
    assert.equal(rig.boot.timeoutsMs.dom0, 300_000);
  });

  it('validates every shipped rig', async () => {
    const files = listRigFiles();
    assert.ok(files.length >= 3);
    // Valid as files; their secrets live on the bench's test host (not read here).
    for (const f of files) assert.ok((await loadRigWithInput(f)).rig.name);
  });

  it('loads a JSON rig and reports invalid JSON with the file name', async () => {
    const dir = tempDir('rig-');
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(baseRig));
    assert.equal((await loadRig(join(dir, 'ok.json'))).name, 'bench-3');
    writeFileSync(join(dir, 'bad.json'), '{ "name": ');
    await assert.rejects(loadRig(join(dir, 'bad.json')), /bad\.json: not valid JSON/);
  });

  it('names the rig file of a TypeScript rig without default export', async () => {
    const dir = tempDir('rig-');
    writeFileSync(join(dir, 'nodefault.ts'), 'export const x = 1;\n');
    await assert.rejects(loadRig(join(dir, 'nodefault.ts')), /nodefault\.ts: has no default export/);
  });

  it('says which rigs exist for an unknown name', async () => {
    await assert.rejects(loadRig('no-such-bench'), /unknown rig "no-such-bench" \(known: .*apu2-twin/);
  });
});
