// OpenSSH known_hosts lookup, as `ssh` itself does it: plain patterns (with `*`, `?`, `!`
// negation and `[host]:port` for non-22 ports) and hashed `|1|salt|hmac` entries.
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface KnownKey {
  /** Key type as written in the file, e.g. 'ssh-ed25519'. */
  type: string;
  blob: Buffer;
  /** 1-based line number, for messages. */
  line: number;
  revoked: boolean;
}

/** The name OpenSSH looks up: plain host on port 22, `[host]:port` otherwise. */
export function lookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written inside an SSH public key blob (its first string). */
export function blobType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** Every key the file holds for host:port (markers @cert-authority are skipped). */
export function findKnownKeys(text: string, host: string, port: number): KnownKey[] {
  const name = lookupName(host, port).toLowerCase();
  const keys: KnownKey[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) continue;
    let marker: string | undefined;
    if (fields[0].startsWith('@')) marker = fields.shift();
    if (marker === '@cert-authority' || fields.length < 3) continue;
    const [hosts, type, b64] = fields;
    if (!hostsMatch(hosts, name)) continue;
    keys.push({ type, blob: Buffer.from(b64, 'base64'), line: i + 1, revoked: marker === '@revoked' });
  }
  return keys;
}

function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const raw of field.toLowerCase().split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (!globMatch(pattern, name)) continue;
    // A negated pattern that matches vetoes the whole line, as in OpenSSH.
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

/** A known_hosts line for a key (plain, or hashed like `ssh-keygen -H`), e.g. for test fixtures. */
export function knownHostsLine(host: string, port: number, publicKey: string, hashed = false): string {
  const [type, b64] = publicKey.trim().split(/\s+/);
  const name = lookupName(host, port);
  if (!hashed) return `${name} ${type} ${b64}`;
  const salt = randomBytes(20);
  const mac = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${mac} ${type} ${b64}`;
}
