// The ipxe-shell network boot against an iPXE shell played on a real TCP console, chaining from
// a real boot server: what is typed and how slowly, and a board that cannot reach the server
// failing early with PXE_NOT_FETCHED instead of a generic iPXE timeout.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { BootBench } from '../../lib/boot/bench.ts';
import { emptyRecord } from '../../lib/boot/record.ts';
import { BootStrategy } from '../../lib/boot/strategy.ts';
import { networkBoot } from '../../lib/boot/transitions.ts';
import { openConsole } from '../../lib/console/open.ts';
import type { Console } from '../../lib/console/types.ts';
import { isRigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { registerSecret } from '../../lib/core/redact.ts';
import { type BootServer, startBootServer } from '../../lib/pxe/boot-server.ts';
import type { Rig } from '../../lib/rig/schema.ts';
import { runOneTest } from '../helpers/allure-run.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { makeImageSet, pxeRig } from '../pxe/image-set.ts';

type Reach = 'fetch' | 'unreachable' | 'mute';

/** Where the played iPXE is: its option ROM at POST, its Ctrl-B window, its shell. */
type Stage = 'off' | 'rom' | 'window' | 'shell';

interface Quirks {
  /** The option ROM's POST prompt first, as on the twin; a key sent there is drained, as iPXE's UART set-up does. */
  romPrompt?: boolean;
  /** This many Ctrl-B never arrive (a slow or lossy console link). */
  loseCtrlB?: number;
  /** This many `chain` lines lose the "p" of "boot.ipxe" on the way (seen on the twin under load). */
  loseCharInChain?: number;
  /** This many Enters ending a `chain` line never arrive: the line stays in the editor, nothing runs. */
  loseEnterInChain?: number;
  /** No echo of typed keys (a console path that does not show them): nothing to check a line against. */
  noEcho?: boolean;
  /** `dhcp` takes this long; keys typed meanwhile are read and dropped, as monojob_wait does. */
  dhcpMs?: number;
  /** The shell opens with a second, older prompt still unread (an extra Enter's). */
  extraPrompt?: boolean;
  /** No link on the NIC: `dhcp` fails before "Configuring", in iflinkwait (src/usr/ifmgmt.c). */
  linkDown?: boolean;
  /** A character that arrived in the editor before anything was typed (serial noise, a late key). */
  strayBeforeDhcp?: string;
  /** The screen is this many columns wide: the echo wraps, and a backspace stops at column 0 (SeaBIOS sercon). */
  wrapAt?: number;
}

/** iPXE as the apu2 shows it on serial: Ctrl-B, a shell, `dhcp`, `chain <url>`. */
class IpxeShell {
  typed: { ch: string; at: number }[] = [];
  /** Every command line iPXE ran, in order. */
  ran: string[] = [];
  chained?: string;
  pressed = false;
  /** Ctrl-B that arrived before the shell's window opened and were drained. */
  drained = 0;
  private stage: Stage = 'off';
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  private line = '';
  port = 0;

  /** With a boot key, the firmware asks for it first and starts iPXE only once it is pressed. */
  constructor(
    private readonly reach: Reach,
    private readonly bootKey?: string,
    /** Silent until powerOn() (a whole boot walked by BootStrategy), else speaking at connect. */
    private readonly powered = false,
    private readonly quirks: Quirks = {},
  ) {}

  /** The relay switched on: the firmware's banner, then its prompt or iPXE. */
  powerOn(): void {
    for (const s of this.sockets) {
      s.write('PC Engines apu2\r\ncoreboot build 20251125\r\n');
      this.greet(s);
    }
  }

  private greet(s: Socket): void {
    if (this.bootKey) s.write('Press F10 key now for boot menu, N for PXE boot\r\n');
    else this.banner(s);
  }

  private banner(s: Socket): void {
    if (!this.quirks.romPrompt) {
      this.window(s);
      return;
    }
    this.stage = 'rom';
    s.write('iPXE (http://ipxe.org) 01:00.0 C000 PCI2.10 PnP PMM+7EFCED50+7EF0ED50 C000\r\n');
    s.write('Press Ctrl-B to configure iPXE (PCI 01:00.0)...\r\n');
    setTimeout(() => {
      s.write(
        'Booting from ROM...\r\niPXE (PCI 01:00.0) starting execution...ok\r\niPXE initialising devices...ok\r\n',
      );
      this.window(s);
    }, 300);
  }

  private window(s: Socket): void {
    this.stage = 'window';
    s.write('iPXE 1.21.1+ -- Open Source Network Boot Firmware\r\nPress Ctrl-B for the iPXE command line...');
  }

  async start(): Promise<void> {
    this.server = createServer((s) => {
      this.sockets.add(s);
      if (!this.powered) setTimeout(() => this.greet(s), 20);
      s.on('data', (d) => this.input(s, d.toString('latin1')));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private input(s: Socket, text: string): void {
    for (const ch of text) {
      if (this.bootKey && !this.pressed) {
        this.pressed = ch === this.bootKey;
        if (this.pressed) this.banner(s);
        continue;
      }
      if (ch === '\x02') {
        this.ctrlB(s);
        continue;
      }
      this.typed.push({ ch, at: performance.now() });
      // src/core/monojob.c: while a command runs, keys are read and dropped (all but Ctrl-C).
      if (this.busy) continue;
      if (ch === '\n' && this.quirks.loseEnterInChain && this.line.startsWith('chain ')) {
        this.quirks.loseEnterInChain--;
        continue;
      }
      if (ch === '\x15') {
        // Ctrl-U (src/hci/editstring.c kill_sol), redrawn as src/hci/readline.c sync_console does.
        const n = this.line.length;
        this.echo(s, '\b'.repeat(n) + ' '.repeat(n) + '\b'.repeat(n));
        this.line = '';
        continue;
      }
      if (ch !== '\n') {
        if (
          ch === 'p' &&
          this.quirks.loseCharInChain &&
          this.line.startsWith('chain ') &&
          /boot\.i$/.test(this.line.replace(/\?.*/, ''))
        ) {
          this.quirks.loseCharInChain--;
          continue;
        }
        this.line += ch;
        this.echo(s, ch);
        continue;
      }
      const cmd = this.line;
      this.line = '';
      this.ran.push(cmd);
      s.write('\r\n');
      this.col = 0;
      if (cmd === 'dhcp net0') this.dhcp(s);
      else if (cmd.startsWith('chain ')) this.chain(s, cmd.slice(6));
      else s.write('iPXE> ');
      this.col = 6; // after "iPXE> " (a chain's own prompt, if any, ends there too)
    }
  }

  /** A command is running: keys are dropped. */
  private busy = false;

  /** The cursor's column on the played screen. */
  private col = 0;

  /** Writes what the line editor echoes, through an 80-column screen when wrapAt is set. */
  private echo(s: Socket, text: string): void {
    if (this.quirks.noEcho) return;
    const w = this.quirks.wrapAt;
    if (!w) return void s.write(text);
    let out = '';
    for (const c of text) {
      if (c === '\b') {
        // sercon_lazy_backspace: only when not at column 0; it never goes up a row.
        if (this.col > 0) [out, this.col] = [`${out}\b`, this.col - 1];
        continue;
      }
      out += c;
      if (++this.col === w) [out, this.col] = [`${out}\r\n`, 0];
    }
    s.write(out);
  }

  private dhcp(s: Socket): void {
    if (this.quirks.linkDown) {
      s.write('Waiting for link-up on net0... Down (http://ipxe.org/38086193)\r\niPXE> ');
      this.col = 6;
      return;
    }
    s.write('Configuring (net0 00:0d:b9:00:00:01)...');
    const done = () => {
      s.write('... ok\r\niPXE> ');
      this.col = 6;
    };
    if (!this.quirks.dhcpMs) {
      done();
      return;
    }
    this.busy = true;
    setTimeout(() => {
      this.busy = false;
      done();
    }, this.quirks.dhcpMs);
  }

  /** Drained before the window, lost on the link, opens the shell, or (in the shell) moves the cursor. */
  private ctrlB(s: Socket): void {
    if (this.stage !== 'window') {
      if (this.stage !== 'shell') this.drained++;
      return;
    }
    if (this.quirks.loseCtrlB) {
      this.quirks.loseCtrlB--;
      return;
    }
    this.stage = 'shell';
    s.write(this.quirks.extraPrompt ? '\r\n\r\niPXE> \r\niPXE> ' : '\r\n\r\niPXE> ');
    this.col = 6;
    if (this.quirks.strayBeforeDhcp) {
      this.line = this.quirks.strayBeforeDhcp;
      this.echo(s, this.line);
    }
  }

  private chain(s: Socket, url: string): void {
    this.chained = url;
    if (this.reach === 'fetch')
      get(url, (r) => {
        r.resume();
        // iPXE's 404 as an apu2's 80-column serial console shows it: wrapped inside the code.
        const refused = `${url}... No such file or directory (http://ipxe.org/2d0\r\nc613b)\r\niPXE> `;
        r.on('end', () => s.write(r.statusCode === 200 ? `${url}... ok\r\n` : refused));
      });
    if (this.reach === 'unreachable')
      setTimeout(() => s.write(`${url}... Connection timed out (https://ipxe.org/4c0a6035)\r\niPXE> `), 50);
  }

  /** Characters still to be lost from chain lines. */
  quirksLeftInChain(): number {
    return this.quirks.loseCharInChain ?? 0;
  }

  /** Ctrl-B still to be lost (0: every planned loss happened). */
  quirksLeft(): number {
    return this.quirks.loseCtrlB ?? 0;
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** The warnings emitted while `body` runs. */
async function warned(body: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarn = (m: string) => warnings.push(m);
  progress.on('warn', onWarn);
  try {
    await body();
  } finally {
    progress.off('warn', onWarn);
  }
  return warnings;
}

describe('boot/ipxe-shell network boot', function () {
  this.timeout(20_000);
  let shell: IpxeShell;
  let server: BootServer;
  let console_: Console;

  async function bench(
    reach: Reach,
    edit: (rig: Rig) => void = () => {},
    bootKey?: string,
    powered = false,
    quirks: Quirks = {},
  ): Promise<BootBench> {
    shell = new IpxeShell(reach, bootKey, powered, quirks);
    await shell.start();
    const rig = pxeRig(makeImageSet());
    // This file plays an iPXE without an embedded script: the Ctrl-B entry, no key unless asked.
    if (rig.boot.network.method === 'ipxe-shell') Object.assign(rig.boot.network, { entry: 'ctrl-b', key: false });
    rig.console = { kind: 'tcp', host: '127.0.0.1', port: shell.port, protocol: 'raw' };
    rig.boot.timeoutsMs.ipxe = 4_000;
    edit(rig);
    server = await startBootServer(rig);
    console_ = await openConsole(rig.console, { transcriptPath: join(tempDir('ipxe-shell-'), 'console.log') });
    // networkBoot needs the rig, the console and the boot server; nothing else is touched.
    return { rig, console: console_, bootServer: server } as unknown as BootBench;
  }

  afterEach(async () => {
    await console_?.close();
    await server?.close();
    await shell?.stop();
  });

  it("types dhcp and chain of the server's own script slowly, and returns once the board fetched it", async () => {
    const b = await bench('fetch', (rig) => {
      if (rig.boot.network.method === 'ipxe-shell') rig.boot.network.charDelayMs = 15;
    });
    const rec = emptyRecord();
    await networkBoot(b, rec);
    assert.equal(shell.chained, server.scriptUrl);
    // Each line typed on a line cleared first (Ctrl-U: no stray character can join it).
    assert.equal(shell.typed.map((t) => t.ch).join(''), `\x15dhcp net0\n\x15chain ${server.scriptUrl}\n`);
    // One character at a time, charDelayMs apart. Timed where they arrive, so one late delivery
    // shortens the next gap: on average they are charDelayMs apart, and none comes in a burst.
    // The waits after Ctrl-U (iPXE's redraw) and for dhcp's answer are not typing.
    const gaps = shell.typed.slice(1).map((t, i) => t.at - shell.typed[i]!.at);
    const withinCommand = gaps.filter((_, i) => shell.typed[i]!.ch !== '\x15' && shell.typed[i]!.ch !== '\n');
    const mean = withinCommand.reduce((a, g) => a + g, 0) / withinCommand.length;
    assert.ok(mean >= 14, `characters ${mean.toFixed(1)} ms apart on average`);
    assert.ok(Math.min(...withinCommand) >= 4, `two characters ${Math.min(...withinCommand)} ms apart: a burst`);
    assert.ok(server.log.fetched('/boot.ipxe'));
    assert.match(rec.firmwareLog, /Press Ctrl-B[\s\S]*Configuring/);
  });

  it('an Enter lost after the chain line: iPXE says nothing, so Enter is pressed again and the board fetches', async () => {
    const b = await bench('fetch', () => {}, undefined, false, { loseEnterInChain: 1 });
    const warnings: string[] = [];
    const onWarn = (m: string) => warnings.push(m);
    progress.on('warn', onWarn);
    try {
      await networkBoot(b, emptyRecord());
    } finally {
      progress.off('warn', onWarn);
    }
    assert.ok(server.log.fetched('/boot.ipxe'));
    assert.equal(shell.typed.map((t) => t.ch).join(''), `\x15dhcp net0\n\x15chain ${server.scriptUrl}\n\n`);
    assert.ok(
      warnings.some((w) => /did not answer "chain [^"]+" within \d+ s: its Enter was lost, pressed again/.test(w)),
      warnings.join('\n'),
    );
  });

  it("a character lost from the chain line shows in iPXE's echo: the line is cleared (Ctrl-U) and typed again before Enter", async () => {
    const b = await bench('fetch', () => {}, undefined, false, { loseCharInChain: 1 });
    const warnings = await warned(() => networkBoot(b, emptyRecord()));
    assert.equal(shell.quirksLeftInChain(), 0, 'the first chain did lose its character');
    assert.equal(shell.chained, server.scriptUrl, 'only the right line ran');
    const typed = shell.typed.map((t) => t.ch).join('');
    assert.equal(typed, `\x15dhcp net0\n\x15chain ${server.scriptUrl}\x15chain ${server.scriptUrl}\n`);
    // The wrong line never ran: no request for "boot.ixe", no iPXE error.
    assert.deepEqual(
      server.log.entries.map((e) => e.path),
      ['/boot.ipxe'],
    );
    assert.ok(
      warnings.some((w) =>
        /iPXE holds "chain [^"]*boot\.ixe" instead of "chain [^"]*boot\.ipxe": a character was lost/.test(w),
      ),
      warnings.join('\n'),
    );
  });

  it('a stray character already in the editor cannot join the line: every line is typed on a cleared one', async () => {
    const b = await bench('fetch', () => {}, undefined, false, { strayBeforeDhcp: 'x' });
    await networkBoot(b, emptyRecord());
    assert.deepEqual(shell.ran, ['dhcp net0', `chain ${server.scriptUrl}`], 'iPXE ran "xdhcp net0"');
  });

  it('a long line that wraps at 80 columns and lost a character is retyped and read back right', async () => {
    const b = await bench('fetch', () => {}, undefined, false, { loseCharInChain: 1, wrapAt: 80 });
    // A rig's own chain URL, long enough to wrap: "iPXE> chain " and 80 more characters.
    const url = `${server.scriptUrl}?${'x'.repeat(80)}`;
    Object.assign(b.rig.boot.network, { chain: url });
    await networkBoot(b, emptyRecord());
    assert.equal(shell.quirksLeftInChain(), 0, 'the first chain did lose its character');
    assert.deepEqual(shell.ran, ['dhcp net0', `chain ${url}`]);
  });

  it('dhcp failing before "Configuring" (no link) is an answer too: chain is tried at once, not after a minute', async () => {
    const b = await bench('fetch', () => {}, undefined, false, { linkDown: true });
    const t0 = Date.now();
    // The played iPXE still fetches after a failed dhcp; a real one fails the chain at once.
    await networkBoot(b, emptyRecord());
    assert.deepEqual(shell.ran, ['dhcp net0', `chain ${server.scriptUrl}`]);
    assert.ok(Date.now() - t0 < 15_000, `${Date.now() - t0} ms`);
  });

  it('a line holding a secret is checked masked, as the console shows it', async () => {
    const b = await bench('fetch');
    const secret = `tok${Date.now()}`;
    registerSecret(secret);
    const url = `${server.scriptUrl}?token=${secret}`;
    Object.assign(b.rig.boot.network, { chain: url });
    const warnings = await warned(() => networkBoot(b, emptyRecord()));
    assert.deepEqual(shell.ran, ['dhcp net0', `chain ${url}`]);
    assert.ok(!warnings.some((w) => /instead of/.test(w)), warnings.join('\n'));
    assert.ok(!warnings.join('\n').includes(secret), 'a warning shows the secret');
  });

  it('a line that loses a character on every try ends the boot as IPXE_INPUT_LOST (the lab), never run', async () => {
    const b = await bench('fetch', () => {}, undefined, false, { loseCharInChain: 3 });
    await assert.rejects(
      () => networkBoot(b, emptyRecord()),
      (e) => isRigError(e, 'IPXE_INPUT_LOST') && /lost 3 times: it holds "chain [^"]*boot\.ixe"/.test(e.message),
    );
    assert.equal(shell.chained, undefined, 'no mistyped chain ran');
  });

  it('without an echo to check (a console path that shows no keys), a refused chain is typed again as before', async () => {
    const b = await bench('fetch', () => {}, undefined, false, { loseCharInChain: 1, noEcho: true });
    const warnings = await warned(() => networkBoot(b, emptyRecord()));
    assert.equal(shell.chained, server.scriptUrl, 'the second chain is the right one');
    const typed = shell.typed.map((t) => t.ch).join('');
    assert.equal(typed.split('chain ').length - 1, 2, typed);
    assert.ok(
      warnings.some((w) => /iPXE echoed nothing of "dhcp net0"/.test(w)),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((w) => /typing dhcp and chain again \(2\/3\)/.test(w)),
      warnings.join('\n'),
    );
  });

  it("waits for dhcp's own answer before typing chain: an older prompt still unread does not count (iPXE drops keys while it configures)", async () => {
    const b = await bench('fetch', () => {}, undefined, false, { extraPrompt: true, dhcpMs: 600 });
    await networkBoot(b, emptyRecord());
    assert.equal(shell.chained, server.scriptUrl);
    const typed = shell.typed.map((t) => t.ch).join('');
    assert.equal(typed, `\x15dhcp net0\n\x15chain ${server.scriptUrl}\n`, 'chain typed once, after dhcp answered');
  });

  it('presses the boot key at the firmware prompt first when the rig names one (the twin)', async () => {
    const b = await bench(
      'fetch',
      (rig) => {
        if (rig.boot.network.method === 'ipxe-shell') rig.boot.network.key = 'n';
      },
      'n',
    );
    const rec = emptyRecord();
    await networkBoot(b, rec);
    assert.ok(shell.pressed);
    assert.equal(shell.typed.map((t) => t.ch).join(''), `\x15dhcp net0\n\x15chain ${server.scriptUrl}\n`);
    assert.match(rec.firmwareLog, /N for PXE boot[\s\S]*Press Ctrl-B/);
  });

  it("presses Ctrl-B at iPXE's own shell banner, not at the option ROM's POST prompt whose key iPXE drains", async () => {
    const b = await bench('fetch', () => {}, undefined, false, { romPrompt: true });
    const rec = emptyRecord();
    await networkBoot(b, rec);
    assert.equal(shell.drained, 0, 'a Ctrl-B was sent at the POST prompt');
    assert.equal(shell.typed.map((t) => t.ch).join(''), `\x15dhcp net0\n\x15chain ${server.scriptUrl}\n`);
    assert.match(rec.firmwareLog, /to configure iPXE[\s\S]*Press Ctrl-B for the iPXE command line/);
  });

  it('presses Ctrl-B again until the shell answers when a key is lost on the way', async () => {
    const b = await bench('fetch', () => {}, undefined, false, { loseCtrlB: 2 });
    await networkBoot(b, emptyRecord());
    assert.equal(shell.quirksLeft(), 0);
    assert.equal(shell.typed.map((t) => t.ch).join(''), `\x15dhcp net0\n\x15chain ${server.scriptUrl}\n`);
  });

  it("attaches the boot server's request log to the boot in the report", async () => {
    const noOffTime = (rig: Rig) => {
      if (rig.power.kind === 'rte') rig.power.minOffMs = 0;
    };
    const b = await bench('fetch', noOffTime, undefined, true);
    const power = { description: 'stub relay', on: async () => shell.powerOn(), off: async () => {} };
    const board = { ...b, power, markPoweredOn: () => {}, dropDom0: async () => {} } as unknown as BootBench;
    const dir = tempDir('ipxe-shell-allure-');
    const r = await runOneTest(dir, () => new BootStrategy(board).to('ipxe'));
    assert.equal(r.status, 'passed', r.statusDetails?.message);
    const found = [r, ...(r.steps ?? [])].flatMap((x) => x.attachments ?? []);
    const log = found.find((a) => a.name === 'boot server requests');
    assert.ok(log, `attachments: ${found.map((a) => a.name)}`);
    assert.match(readFileSync(join(dir, log.source), 'utf8'), /^127\.0\.0\.1 GET \/boot\.ipxe 200 \d+ B \d+ ms$/);
  });

  it('fails at once with PXE_NOT_FETCHED when iPXE says it cannot reach the server', async () => {
    const b = await bench('unreachable');
    const t0 = performance.now();
    const e = await networkBoot(b, emptyRecord()).catch((x: unknown) => x);
    assert.ok(isRigError(e, 'PXE_NOT_FETCHED'), String(e));
    assert.ok(performance.now() - t0 < 3_000, 'not early');
    const hostPort = `127.0.0.1:${server.listening.port}`;
    assert.equal(
      e.message,
      `the board did not fetch boot.ipxe from http://${hostPort}/boot.ipxe (iPXE: http://${hostPort}/boot.ipxe... Connection timed out (https://ipxe.org/4c0a6035)): check that it can reach ${hostPort}`,
    );
    assert.equal(e.part, 'pxe');
  });

  it('fails with PXE_NOT_FETCHED after the iPXE timeout when the board says nothing and never asks', async () => {
    const b = await bench('mute', (rig) => {
      rig.boot.timeoutsMs.ipxe = 1_500;
    });
    const e = await networkBoot(b, emptyRecord()).catch((x: unknown) => x);
    assert.ok(isRigError(e, 'PXE_NOT_FETCHED'), String(e));
    assert.match(
      e.message,
      /^the board did not fetch boot\.ipxe from http:\/\/127\.0\.0\.1:\d+\/boot\.ipxe within 2 s: check that it can reach 127\.0\.0\.1:\d+$/,
    );
    assert.equal(server.log.entries.length, 0);
  });

  it("chains the rig's own URL when given, and waits for iPXE's ok instead of the server's log", async () => {
    const b = await bench('fetch', (rig) => {
      if (rig.boot.network.method === 'ipxe-shell') rig.boot.network.charDelayMs = 0;
    });
    // A URL on another server in a real lab; here the port is known once this one listens.
    (b.rig.boot.network as { chain?: string }).chain = `${server.base}/dom0/kernel`;
    await networkBoot(b, emptyRecord());
    assert.equal(shell.chained, `${server.base}/dom0/kernel`);
  });
});
