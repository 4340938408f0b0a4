// One function per edge of the boot path. Each waits on the console with a named timeout;
// death patterns and the silence watchdog are armed by the console in every wait.
import { isRigError, RigError } from '../core/errors.ts';
import { escapeRegExp } from '../core/escape-regexp.ts';
import { poll } from '../core/poll.ts';
import { progress } from '../core/progress.ts';
import { step } from '../core/step.ts';
import { consoleNamesNoVersion } from '../firmware/identity.ts';
import { readSmbios } from '../firmware/smbios.ts';
import { shellCommands } from '../pxe/script.ts';
import { PERMANENT_CODES } from '../remote/connect.ts';
import { worthLoggingIn } from '../remote/ssh-banner.ts';
import type { BootBench } from './bench.ts';
import { enterAgainIfIgnored } from './enter-again.ts';
import { IPXE_ENTRIES, type IpxeEntry, type IpxePlatform } from './ipxe-entries.ts';
import { typeIpxeLine } from './ipxe-typing.ts';
import type { BootRecord } from './record.ts';
import { IPXE_ERROR, waitForScriptFetch, wrapping } from './script-fetch.ts';

/**
 * The first words of coreboot or SeaBIOS on serial: the board is alive. Dasharo coreboot+UEFI
 * prints none of them (coreboot at log level 1, no sign-on): its first line is edk2's prompt
 * "DEL   to enter Setup" (docs/real-bench.md).
 */
export const FIRMWARE_BANNER = /coreboot-\S+|PC Engines apu\d|SeaBIOS \(version [^)\n]*\)|\S+ +to enter Setup/;
const IPXE_BANNER = /iPXE \d|iPXE initialising|iPXE \(http/;
const XEN_BANNER = /Xen version \d+\.\d+[^\n]*/;

export async function powerOn(s: BootBench, rec: BootRecord): Promise<void> {
  s.console.discard();
  await step('power on board', {}, () => s.power.on());
  s.markPoweredOn();
  rec.attempts++;
  const t = s.rig.boot.timeoutsMs.firmware;
  const m = await s.console.expect(FIRMWARE_BANNER, { timeout: t, name: 'firmware banner', silenceMs: t });
  rec.firmwareLog = m.before + m.text;
}

export async function networkBoot(s: BootBench, rec: BootRecord): Promise<void> {
  const net = s.rig.boot.network;
  const t = s.rig.boot.timeoutsMs;
  // `auto` into iPXE also takes a UEFI board, which has no "N for PXE boot" (its key is F10, later).
  const orUefi = net.method === 'ipxe-shell' && net.entry === 'auto';
  if (net.method !== 'auto' && net.key) await pressBootKey(s, rec, net.key, net.prompt, orUefi);
  if (net.method === 'ipxe-shell') return ipxeShell(s, rec, net);
  const m = await s.console.expect(IPXE_BANNER, { timeout: t.ipxe, name: 'iPXE', silenceMs: t.ipxe });
  rec.firmwareLog += m.before + m.text;
}

/**
 * edk2's middle prompt line (PlatformBootManager.c): before "ENTER to boot directly", which the
 * UEFI entry waits for (the F10 goes after that line, as OSFV sends it).
 */
const UEFI_BOOT_MENU_LINE = /\S+ +to enter Boot Manager Menu/;

/**
 * The firmware's "N for PXE boot": wait for the prompt, press the key. With `orUefi`, edk2's
 * prompt instead means a UEFI build: no key here, the entry takes it from "ENTER to boot directly".
 */
async function pressBootKey(s: BootBench, rec: BootRecord, key: string, prompt: string, orUefi = false): Promise<void> {
  const c = s.console;
  const t = s.rig.boot.timeoutsMs.firmware;
  const want = orUefi ? new RegExp(`${escapeRegExp(prompt)}|${UEFI_BOOT_MENU_LINE.source}`) : prompt;
  const p = await c.expect(want, { timeout: t, name: `network boot prompt "${prompt}"`, silenceMs: t });
  rec.firmwareLog += p.before + p.text;
  if (orUefi && UEFI_BOOT_MENU_LINE.test(p.text)) return;
  await step(`press "${key}" for network boot`, {}, () => c.sendSlowly(key));
}

/**
 * How `dhcp` ends: "Configuring (net0 00:0d:b9:…)...... ok", or any error line with its ipxe.org
 * code — also one without "Configuring", such as "Waiting for link-up on net0... Down (…)" (src/usr/
 * ifmgmt.c ifconf, iflinkwait; src/hci/strerror.c), wrapped at 80 columns anywhere.
 */
/** The first words of dhcp's answer: it configures, or waits for the link first (iflinkwait). */
const DHCP_STARTED = /Configuring \(|Waiting for link-up on /;
const DHCP_ANSWER = new RegExp(`Configuring \\([^)]*\\)[.\\s]*ok|${IPXE_ERROR.source}`);

/** How many times `dhcp` and `chain` are typed when iPXE refuses the chain at once. */
const CHAIN_TRIES = 3;

/**
 * Into the iPXE shell the way this firmware's iPXE offers it (boot.network.entry), `dhcp` on the
 * rig's interface, `chain` the script: the rig's URL, else the session's own boot server's. Typed
 * one character at a time, `charDelayMs` apart (iPXE drops fast input).
 */
async function ipxeShell(
  s: BootBench,
  rec: BootRecord,
  net: { entry: IpxeEntry; chain?: string; charDelayMs: number; interface: string },
): Promise<void> {
  const c = s.console;
  const t = s.rig.boot.timeoutsMs;
  const served = !net.chain;
  if (!net.chain && !s.bootServer)
    throw new Error('ipxe-shell without chain needs the session to serve the boot (boot.server)');
  const platform = await IPXE_ENTRIES[net.entry](s, rec);
  const url = net.chain ?? servedChain(s, platform);
  const [dhcp, chain] = shellCommands(url, net.interface);
  const typing = { chunk: 1, delayMs: net.charDelayMs };
  for (let attempt = 1; ; attempt++) {
    await typeIpxeLine(s, dhcp, typing);
    await enterAgainIfIgnored(s, dhcp, DHCP_STARTED);
    // dhcp's own answer, then the prompt after it: an older prompt still unread (an extra Enter's)
    // must not count, or chain is typed while iPXE configures, and iPXE drops keys meanwhile.
    const d = await c.expect(DHCP_ANSWER, { timeout: 60_000, name: 'iPXE dhcp' });
    const p = await c.expect(/iPXE>/, { timeout: 10_000, name: 'iPXE prompt after dhcp' });
    rec.firmwareLog += d.before + d.text + p.before;
    const since = s.bootServer?.log.entries.length ?? 0;
    await typeIpxeLine(s, chain, typing);
    if (served) {
      const fetching = new RegExp(wrapping(`${url}...`));
      await enterAgainIfIgnored(s, chain, fetching, () =>
        Boolean(s.bootServer?.log.fetched(new URL(url).pathname, since)),
      );
    }
    if (!served) break;
    try {
      rec.firmwareLog += await waitForScriptFetch(s, { url, since, withinMs: t.ipxe });
      return;
    } catch (e) {
      // iPXE refused at once: a character lost on the serial line ("boot.ixe... No such file",
      // seen on the twin under load) is typed right the next time; a board that cannot reach the
      // server fails the same way each time, and after the last try it is PXE_NOT_FETCHED.
      if (attempt >= CHAIN_TRIES || !isRigError(e, 'PXE_NOT_FETCHED') || !e.message.includes('(iPXE: ')) throw e;
      progress.emit('warn', `${e.message.split('\n')[0]}; typing dhcp and chain again (${attempt + 1}/${CHAIN_TRIES})`);
      const p = await c.expect(/iPXE>/, { timeout: 10_000, name: 'iPXE prompt after the error' });
      rec.firmwareLog += p.before;
    }
  }
  // Someone else's server: iPXE's "<url>... ok" is all there is to see.
  const m = await c.expect(`${url}... ok`, { timeout: t.ipxe, name: `iPXE chain ${url}`, silenceMs: t.ipxe });
  rec.firmwareLog += m.before + m.text;
}

/** What the board chains from this session's server: the multiboot script, or GRUB EFI on an EFI iPXE. */
function servedChain(s: BootBench, platform: IpxePlatform): string {
  const server = s.bootServer!;
  if (platform === 'pcbios') return server.scriptUrl;
  if (!server.efi)
    throw new RigError(
      'the board runs EFI iPXE, which cannot load Xen as multiboot, and this boot server serves no GRUB EFI: set boot.network.entry: uefi-boot-manager (or auto)',
      { code: 'PXE_GRUB_MISSING', phase: 'ipxe' },
    );
  if ('error' in server.efi) throw server.efi.error;
  return server.efi.chainUrl;
}

export async function loadXen(s: BootBench, rec: BootRecord): Promise<void> {
  const t = s.rig.boot.timeoutsMs.ipxe;
  const m = await s.console.expect(XEN_BANNER, { timeout: t, name: 'Xen banner', silenceMs: t });
  rec.firmwareLog += m.before;
  rec.xenLog = m.text;
}

/** How long a try waits for dom0's SSH server to send its first line, and every how many tries it logs in regardless (ssh-banner.ts). */
export const DOM0_LOGIN_PACE = { bannerMs: 1_500, loginEvery: 5 };

/** dom0 is ready when SSH answers and `xl info` succeeds; the console keeps being watched. */

export async function waitDom0(s: BootBench, rec: BootRecord): Promise<void> {
  const { boot } = s.rig;
  const withinMs = boot.timeoutsMs.xen + boot.timeoutsMs.dom0;
  // One step in the report ("wait for dom0 SSH: 9 tries, 17 s"): a refused try is a board still booting.
  await poll('wait for dom0 SSH', { withinMs }, async (tries) => {
    const deadline = Date.now() + withinMs;
    let lastError = '';
    while (Date.now() < deadline) {
      tries.next();
      try {
        // Log in once dom0's SSH server speaks: a forward can hold a connection to a board
        // without an address for the whole handshake deadline (lib/remote/ssh-banner.ts).
        const { host, port } = s.rig.dom0;
        if (!(await worthLoggingIn(host, port, tries.count, DOM0_LOGIN_PACE)))
          throw new Error(`no SSH server answering at ${host}:${port} yet`);
        const dom0 = await s.dom0(4_000);
        const r = await dom0.run('xl info', { timeoutMs: 20_000 });
        if (r.exitCode === 0) {
          rec.xenLog += s.console.pending();
          s.console.discard();
          // The UEFI flavour's console names no version: its SMBIOS does (lib/firmware/smbios.ts).
          if (consoleNamesNoVersion(rec.firmwareLog)) rec.smbios = await readSmbios(dom0);
          return;
        }
        lastError = `xl info exited ${r.exitCode}: ${r.stderr.trim().split('\n').pop()}`;
      } catch (e) {
        // A wrong password, a changed host key or an unset secret will not fix itself: fail now,
        // as the lab's problem, instead of power-cycling the board (and tripping fail2ban).
        if (isRigError(e) && PERMANENT_CODES.has(e.code)) throw e;
        lastError = (e as Error).message;
        await s.dropDom0();
      }
      tries.refused(lastError);
      // Between SSH attempts, wait on the console: panics and silence are caught here.
      await idleOnConsole(s, 1_000);
    }
    rec.xenLog += s.console.pending();
    throw new RigError(`dom0 not reachable over SSH within ${withinMs / 1000} s (${lastError})`, {
      code: 'DOM0_TIMEOUT',
      phase: 'dom0',
      consoleTail: s.console.tail(20),
    });
  });
}

async function idleOnConsole(s: BootBench, ms: number): Promise<void> {
  const silenceMs = s.rig.boot.silenceMs;
  try {
    await s.console.expect(/(?!)/, { timeout: ms, name: 'dom0 boot', silenceMs });
  } catch (e) {
    if (!isRigError(e, 'CONSOLE_TIMEOUT')) throw e;
  }
  // Each idle wait is short, so its own silence watchdog never fires: a board frozen while dom0
  // boots would otherwise look like a dom0 network problem after the whole SSH deadline.
  const quiet = s.console.silentForMs();
  if (quiet >= silenceMs)
    throw new RigError(
      `console ${s.console.description}: silent for ${Math.round(quiet / 1000)} s while waiting for dom0 SSH: the board hangs; last lines:\n${s.console.tail(15)}`,
      { code: 'CONSOLE_SILENCE', phase: 'dom0 boot', consoleTail: s.console.tail(20) },
    );
  progress.emit('step', 'waiting for dom0 SSH');
}
