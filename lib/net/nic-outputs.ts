// What a guest's own tools say about one NIC: link, addresses, packet counters, interrupts.
// Linux: iproute2 `ip -s link` / `ip addr`, sysfs (`grep . /sys/class/net/IF/...`, all a
// busybox guest has), /proc/interrupts, `ethtool -S`. FreeBSD (pfSense): `ifconfig IF`,
// `netstat -i -n -I IF`, `vmstat -i`. Every field is null when the output does not say.
import { escapeRegExp } from '../core/escape-regexp.ts';

export interface NicCounters {
  linkUp: boolean | null;
  addresses: string[];
  rxPackets: number | null;
  txPackets: number | null;
}

/** `ip -s link show dev IF` (iproute2 4.x-6.x: the column named "packets" under RX:/TX:). */
export function parseIpLink(text: string, ifname: string): NicCounters {
  const out: NicCounters = { linkUp: null, addresses: [], rxPackets: null, txPackets: null };
  const lines = text.split('\n');
  const head = lines.findIndex((l) => new RegExp(`^\\d+: ${escapeRegExp(ifname)}(?:@\\S+)?: <([^>]*)>`).test(l));
  if (head < 0) return out;
  const flags = /<([^>]*)>/.exec(lines[head])![1].split(',');
  const state = / state (\S+)/.exec(lines[head])?.[1];
  out.linkUp = flags.includes('LOWER_UP') && flags.includes('UP') && state !== 'DOWN';
  for (let i = head + 1; i < lines.length && /^\s/.test(lines[i]); i++) {
    const m = /^\s+(RX|TX):\s+(.*)$/.exec(lines[i]);
    if (!m || i + 1 >= lines.length) continue;
    const col = m[2].trim().split(/\s+/).indexOf('packets');
    const value = Number(lines[i + 1].trim().split(/\s+/)[col]);
    if (col >= 0 && Number.isFinite(value)) out[m[1] === 'RX' ? 'rxPackets' : 'txPackets'] = value;
  }
  return out;
}

/** IPv4/IPv6 addresses of IF in `ip addr` or `ip -o addr` output. */
export function parseIpAddr(text: string, ifname: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of text.split('\n')) {
    const head = /^\d+: (\S+?)(?:@\S+)?:?\s/.exec(line);
    if (head) inside = head[1] === ifname;
    if (!inside) continue;
    for (const m of line.matchAll(/\binet6? (\S+)/g)) if (!m[1].startsWith('fe80:')) out.push(m[1]);
  }
  return out;
}

/** `grep . /sys/class/net/IF/{operstate,carrier,statistics/rx_packets,statistics/tx_packets}`. */
export function parseSysfsNet(text: string, ifname: string): NicCounters {
  const out: NicCounters = { linkUp: null, addresses: [], rxPackets: null, txPackets: null };
  const re = new RegExp(
    `/sys/class/net/${escapeRegExp(ifname)}/(operstate|carrier|statistics/rx_packets|statistics/tx_packets):(\\S+)`,
  );
  let carrier: boolean | null = null;
  let oper: boolean | null = null;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    if (m[1] === 'operstate') oper = m[2] === 'up';
    else if (m[1] === 'carrier') carrier = m[2] === '1';
    else out[m[1].endsWith('rx_packets') ? 'rxPackets' : 'txPackets'] = Number(m[2]);
  }
  out.linkUp = carrier === null && oper === null ? null : carrier !== false && oper !== false;
  return out;
}

export interface InterruptCount {
  total: number;
  /** The interrupt names counted (e.g. eth0-rx-0, eth0-tx-0, igb0:rxq0). */
  names: string[];
}

const QUEUE = /[-:](?:rx|tx|TxRx)/i;

/** /proc/interrupts rows whose name is IF or IF-something (the queue vectors). */
export function parseProcInterrupts(text: string, ifname: string): InterruptCount | null {
  const lines = text.split('\n');
  const cpus = (lines[0] ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => /^CPU\d+$/.test(w)).length;
  if (cpus === 0) return null;
  const name = new RegExp(`^${escapeRegExp(ifname)}(?:$|[-:])`);
  const rows: { name: string; count: number }[] = [];
  for (const line of lines.slice(1)) {
    const words = line.trim().split(/\s+/);
    if (!/^\w+:$/.test(words[0] ?? '')) continue;
    const last = words.at(-1)!;
    if (name.test(last))
      rows.push({ name: last, count: words.slice(1, 1 + cpus).reduce((s, w) => s + (Number(w) || 0), 0) });
  }
  // With MSI-X the queues have their own vectors (eth0-rx-0, eth0-TxRx-0); the bare "eth0" one is
  // link and other causes, which fire without any traffic, so only the queues count then.
  const queues = rows.filter((r) => QUEUE.test(r.name));
  const counted = queues.length > 0 ? queues : rows;
  if (counted.length === 0) return null;
  return { total: counted.reduce((s, r) => s + r.count, 0), names: counted.map((r) => r.name) };
}

/** `ethtool -S IF`: "name: value" lines. */
export function parseEthtoolStats(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^\s+([\w.[\]-]+): (-?\d+)\s*$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** FreeBSD `ifconfig IF`: status and inet/inet6 addresses. */
export function parseFreebsdIfconfig(text: string, ifname: string): NicCounters {
  const out: NicCounters = { linkUp: null, addresses: [], rxPackets: null, txPackets: null };
  let inside = false;
  for (const line of text.split('\n')) {
    const head = /^(\S+): flags=/.exec(line);
    if (head) inside = head[1] === ifname;
    if (!inside) continue;
    const status = /^\s+status: (.+)$/.exec(line);
    if (status) out.linkUp = status[1].trim() === 'active';
    const inet = /^\s+inet6? (\S+)/.exec(line);
    if (inet && !inet[1].startsWith('fe80:')) out.addresses.push(inet[1].replace(/%.*$/, ''));
  }
  return out;
}

/** FreeBSD `netstat -i -n [-I IF]`: Ipkts/Opkts of the <Link#N> row. */
export function parseFreebsdNetstat(text: string, ifname: string): Pick<NicCounters, 'rxPackets' | 'txPackets'> {
  const lines = text.split('\n');
  const cols = (lines[0] ?? '').trim().split(/\s+/);
  const row = lines.find((l) => l.startsWith(`${ifname} `) && l.includes('<Link#'));
  if (!row) return { rxPackets: null, txPackets: null };
  // Network and Address may be blank on some rows; the <Link#N> row has both, so columns line up.
  const words = row.trim().split(/\s+/);
  const at = (c: string) => (cols.indexOf(c) >= 0 ? Number(words[cols.indexOf(c)]) : null);
  return { rxPackets: at('Ipkts'), txPackets: at('Opkts') };
}

/** FreeBSD `vmstat -i`: the NIC's queue interrupts ("irq264: igb0:rxq0  0  0"), admin queue excluded. */
export function parseFreebsdVmstat(text: string, ifname: string): InterruptCount | null {
  const out: InterruptCount = { total: 0, names: [] };
  for (const m of text.matchAll(new RegExp(`^\\S+: (${escapeRegExp(ifname)}:(?:rx|tx)q\\d+)\\s+(\\d+)`, 'gm'))) {
    out.total += Number(m[2]);
    out.names.push(m[1]);
  }
  return out.names.length > 0 ? out : null;
}
