// One got instance for every HTTP-driven part (power switches, the RTE SPI mux). A failure becomes
// a RigError naming the switch and the reply. got's own error is never passed on, not even as
// `cause`: it carries the full request options, query-string passwords included.
import { setTimeout as sleep } from 'node:timers/promises';
import got, { HTTPError, type RequestError, TimeoutError } from 'got';
import type { FailureCode } from '../core/error-codes.ts';
import { RigError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { encodedForms, redact } from '../core/redact.ts';

export interface HttpTarget {
  /** Shown in every error, e.g. "RTE relay GPIO 0 at http://rte:8000". */
  name: string;
  timeoutMs: number;
  /** Defaults to 'power'; error codes are `<PART>_HTTP`, `<PART>_TIMEOUT`, ... */
  part?: HttpPart;
}

/** The parts driven over HTTP, and the code of each way their API can fail. */
export type HttpPart = 'power' | 'flasher';
type Failure = 'HTTP' | 'TIMEOUT' | 'UNREACHABLE' | 'BAD_REPLY' | 'NOT_APPLIED';
export const HTTP_CODES: Record<HttpPart, Record<Failure, FailureCode>> = {
  power: {
    HTTP: 'POWER_HTTP',
    TIMEOUT: 'POWER_TIMEOUT',
    UNREACHABLE: 'POWER_UNREACHABLE',
    BAD_REPLY: 'POWER_BAD_REPLY',
    NOT_APPLIED: 'POWER_NOT_APPLIED',
  },
  flasher: {
    HTTP: 'FLASHER_HTTP',
    TIMEOUT: 'FLASHER_TIMEOUT',
    UNREACHABLE: 'FLASHER_UNREACHABLE',
    BAD_REPLY: 'FLASHER_BAD_REPLY',
    NOT_APPLIED: 'FLASHER_NOT_APPLIED',
  },
};

export interface HttpRequest {
  method?: 'GET' | 'PATCH' | 'PUT' | 'POST';
  url: string;
  json?: unknown;
  /**
   * Only idempotent requests are retried: setting a relay to a level twice is harmless, pressing
   * the power button twice turns the board back off.
   */
  idempotent: boolean;
  phase?: string;
}

/** Attempts after the first for idempotent requests. */
export const RETRIES = 2;

const CLOSED_BEFORE_CONNECT = 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION';

const client = got.extend({
  followRedirect: false,
  headers: { accept: 'application/json', 'user-agent': 'iommu-lab' },
  // One attempt per got call; the retries are ours (below). got's own retry (got 14, and 15) hands
  // back the wrong error on Node >= 24.20: there a write queued on a socket that closes before it
  // connects fails with ERR_SOCKET_CLOSED_BEFORE_CONNECTION (nodejs/node#64847), and on a retried
  // request got passes that on instead of the ECONNREFUSED behind it and stops retrying
  // (sindresorhus/got#2469; fixed in got 16, which needs Node >= 22). A fresh call per attempt
  // sees the socket's own error first, on every Node.
  retry: { limit: 0 },
});

/** What got retries by default, kept: a busy or restarting switch, a lost or refused connection. */
const RETRY_STATUS = new Set([408, 413, 429, 500, 502, 503, 504, 521, 522, 524]);
const RETRY_CODES = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'EADDRINUSE',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  // Node >= 24.20's word for a connection that closed before it was made (see above).
  CLOSED_BEFORE_CONNECT,
]);
const RETRY_METHODS = new Set(['GET', 'PATCH', 'PUT']);

export async function requestText(target: HttpTarget, req: HttpRequest): Promise<string> {
  const method = req.method ?? 'GET';
  const attempts = req.idempotent && RETRY_METHODS.has(method) ? RETRIES + 1 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await client(req.url, { method, json: req.json, timeout: { request: target.timeoutMs } });
      return res.body;
    } catch (e) {
      if (attempt >= attempts || !retryable(e)) throw httpError(target, req, e, attempt);
    }
    // A switch on the bench LAN either answers quickly or is down: retry soon, give up soon.
    await sleep(Math.min(200 * attempt, 1000));
  }
}

function retryable(e: unknown): boolean {
  if (e instanceof HTTPError) return RETRY_STATUS.has(e.response.statusCode);
  return e instanceof TimeoutError || RETRY_CODES.has(String((e as { code?: unknown }).code));
}

export async function requestJson(target: HttpTarget, req: HttpRequest): Promise<unknown> {
  const body = await requestText(target, req);
  try {
    return JSON.parse(body);
  } catch {
    throw badReply(target, req, `not JSON: ${excerpt(body)}`);
  }
}

export function badReply(target: HttpTarget, req: HttpRequest, why: string): RigError {
  return rigError(target, req, 'BAD_REPLY', `unexpected reply to ${describe(req)}: ${why}`);
}

function httpError(target: HttpTarget, req: HttpRequest, e: unknown, tries: number): RigError {
  const err = e as RequestError;
  const after = tries > 1 ? ` (${tries} attempts)` : '';
  if (err instanceof HTTPError) {
    const res = err.response;
    const body = typeof res.body === 'string' ? res.body : '';
    const status = `HTTP ${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
    return rigError(target, req, 'HTTP', `${describe(req)} → ${status}${after}${body ? `: ${excerpt(body)}` : ''}`);
  }
  if (err instanceof TimeoutError)
    return rigError(target, req, 'TIMEOUT', `no reply to ${describe(req)} within ${target.timeoutMs} ms${after}`);
  const code =
    err.code === CLOSED_BEFORE_CONNECT ? 'connection closed before it was established' : (err.code ?? 'error');
  return rigError(target, req, 'UNREACHABLE', `cannot reach ${describe(req)}: ${code}${after}`);
}

function rigError(target: HttpTarget, req: HttpRequest, kind: Failure, detail: string): RigError {
  const part = target.part ?? 'power';
  let text = redact(`${target.name}: ${detail}`);
  // A reply may echo the request (its URL, query-string password included).
  for (const c of credentialsIn(req.url)) text = text.split(c).join('***');
  // The detail quotes the peer (its reply, its status text): shown, never obeyed by a terminal.
  return new RigError(printable(text, { max: 1000 }), {
    code: HTTP_CODES[part][kind],
    part,
    phase: req.phase,
  });
}

/** Method and URL with credentials masked even when they were never registered as secrets. */
function describe(req: HttpRequest): string {
  return `${req.method ?? 'GET'} ${safeUrl(req.url)}`;
}

const CREDENTIAL_KEY = /pass|token|secret|key/i;

function credentialsIn(raw: string): string[] {
  try {
    const u = new URL(raw);
    const values = [...u.searchParams].filter(([k]) => CREDENTIAL_KEY.test(k)).map(([, v]) => v);
    if (u.password) values.push(decodeURIComponent(u.password));
    // Also as they travel and come back: percent- and form-encoded, JSON-escaped. Longest first.
    return [...new Set(values.flatMap(encodedForms))]
      .filter((v) => v.length > 0 && v !== '***')
      .sort((a, b) => b.length - a.length);
  } catch {
    return [];
  }
}

export function safeUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return redact(raw);
  }
  if (u.password) u.password = '***';
  for (const key of [...u.searchParams.keys()]) if (CREDENTIAL_KEY.test(key)) u.searchParams.set(key, '***');
  return redact(u.toString());
}

/** A peer's reply for a message: one line, secrets masked, control bytes escaped, capped. */
export function excerpt(text: string, max = 200): string {
  return printable(redact(text.replace(/\s+/g, ' ').trim()), { max });
}
