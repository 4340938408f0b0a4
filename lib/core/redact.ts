// Every secret the process learns is registered here, and every text that leaves the
// process (log line, Allure step, error, transcript header, report) passes through redact().
// A secret is also masked in the forms it takes on the way to a peer and back (a reply that
// echoes a query string, a JSON body): percent-encoded, form-encoded, JSON-escaped.

/** Shorter values would mask innocent text everywhere ("***" for every "ab"): refused. */
export const MIN_SECRET_LENGTH = 4;
const MASK = '***';

/** Every form of every secret, longest first (a longer form masks before a shorter one inside it). */
let forms: string[] = [];
const secrets = new Set<string>();

/** The forms a secret travels in; each is masked wherever it appears. */
export function encodedForms(value: string): string[] {
  const uri = encodeURIComponent(value);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  const json = JSON.stringify(value).slice(1, -1);
  const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
  const all = [value, uri, uri.replace(/%20/g, '+'), form, encodeURI(value), json];
  return [...new Set([...all, ...all.map(lowerHex)])];
}

/** Registers a secret read from a rig; throws for one too short to mask (callers refuse it first). */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH)
    throw new Error(`a secret must have at least ${MIN_SECRET_LENGTH} characters to be masked`);
  if (secrets.has(value)) return;
  secrets.add(value);
  forms = [...new Set([...forms, ...encodedForms(value)])].sort((a, b) => b.length - a.length);
}

export function redact(text: string): string {
  let out = text;
  for (const s of forms) if (out.includes(s)) out = out.split(s).join(MASK);
  return out.includes('://') ? maskUrlCredentials(out) : out;
}

/**
 * Query or fragment parameters that carry a credential in the URLs a lab is given: GitLab's
 * private_token, a token, an API key, a signature (sig), a password, and every X-Amz-* of an S3
 * presigned URL (X-Amz-Credential and X-Amz-Signature among them).
 */
const CREDENTIAL_PARAM = /pass|token|secret|key|signature|^sig$|credential|^x-amz-/i;
/** The parameters whose values are themselves secrets (X-Amz-Date or -Expires are not). */
const SECRET_PARAM = /pass|token|secret|key|signature|^sig$|^x-amz-(credential|signature|security-token)$/i;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

function maskParams(part: string): string {
  return part.replace(/(^|[?&;#])([^=&;#?]*)=([^&;#]*)/g, (m, sep: string, key: string) =>
    CREDENTIAL_PARAM.test(key.replace(/^amp;/, '')) ? `${sep}${key}=${MASK}` : m,
  );
}

/**
 * Every URL in a text with its credentials masked, whether or not they were registered: the
 * user-info (user:token@ keeps the user, a lone token@ goes), and credential parameters of the
 * query and the fragment. The rest of the URL stays as written, so it still says what it names.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => {
    const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
    if (!m) return url;
    let [, scheme, authority, rest] = m as unknown as [string, string, string, string];
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const info = authority.slice(0, at);
      const colon = info.indexOf(':');
      authority = `${colon >= 0 ? `${info.slice(0, colon)}:${MASK}` : MASK}@${authority.slice(at + 1)}`;
    }
    const q = rest.search(/[?#]/);
    if (q >= 0) rest = rest.slice(0, q) + maskParams(rest.slice(q));
    return `${scheme}${authority}${rest}`;
  });
}

/**
 * Registers the credentials a URL the user gave carries (--firmware, a bisect build), so they are
 * masked in every form they take afterwards: quoted by a server's error, percent-decoded, split
 * across a stream's chunks. Values too short to mask safely are left to maskUrlCredentials.
 */
export function registerUrlCredentials(raw: string): void {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return;
  }
  const values = [...u.searchParams].filter(([k]) => SECRET_PARAM.test(k)).map(([, v]) => v);
  const hash = new URLSearchParams(u.hash.slice(1));
  values.push(...[...hash].filter(([k]) => SECRET_PARAM.test(k)).map(([, v]) => v));
  // A lone user-info (https://TOKEN@host) may be a plain user name: masked in URLs only.
  if (u.password) values.push(decodeURIComponent(u.password));
  for (const v of values) if (v.length >= MIN_SECRET_LENGTH && v !== MASK) registerSecret(v);
}

/** Length of the longest end of `text` that a secret (in any of its forms) starts with. */
function longestPartialSecret(text: string): number {
  let best = 0;
  for (const f of forms)
    for (let k = Math.min(f.length - 1, text.length); k > best; k--)
      if (text.endsWith(f.slice(0, k))) {
        best = k;
        break;
      }
  return best;
}

export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = /pass|token|secret|key$/i.test(k) && typeof v === 'string' ? MASK : redactValue(v);
    return out as T;
  }
  return value;
}

/**
 * Redacts a stream of text chunks (a transcript, a live console) where a secret may arrive split
 * across two chunks: the end of the text that could still grow into a secret is held back until
 * the next chunk or flush().
 */
export class StreamRedactor {
  private held = '';

  push(chunk: string): string {
    const text = this.held + chunk;
    // Hold back only an end that is the beginning of some secret: everything else goes out now.
    let cut = text.length - longestPartialSecret(text);
    // A whole secret that crosses the cut goes out with it, masked.
    for (let moved = true; moved; ) {
      moved = false;
      for (const s of forms) {
        const i = text.indexOf(s, Math.max(0, cut - s.length + 1));
        if (i >= 0 && i < cut && i + s.length > cut) [cut, moved] = [i + s.length, true];
      }
    }
    this.held = text.slice(cut);
    return redact(text.slice(0, cut));
  }

  flush(): string {
    const rest = redact(this.held);
    this.held = '';
    return rest;
  }
}

/**
 * Masks what is written to a stream (stdout for a test reporter, stderr) chunk by chunk; returns
 * the function that restores the original write.
 */
export function redactWrites(stream: NodeJS.WritableStream): () => void {
  const original = stream.write;
  const patched = function (this: NodeJS.WritableStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk;
    return (original as (...a: unknown[]) => boolean).call(
      this,
      typeof text === 'string' ? redact(text) : text,
      ...rest,
    );
  };
  stream.write = patched as typeof stream.write;
  return () => {
    stream.write = original;
  };
}

/** For tests only. */
export function clearSecrets(): void {
  secrets.clear();
  forms = [];
}
