// Every secret the process learns is registered here, and every text that leaves the
// process (log line, Allure step, error, transcript header, report) passes through redact().

const secrets = new Set<string>();
const MASK = '***';

export function registerSecret(value: string | undefined | null): void {
  // Very short values would mask innocent text everywhere; they are refused at rig load.
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
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

/** For tests only. */
export function clearSecrets(): void {
  secrets.clear();
}
