// The environment a program named in a rig runs with (a power command's PDU script): what any
// program needs to run, plus the variables the rig names. Not our whole environment: that holds
// the secrets (DOM0_PASSWORD, CI tokens) the rig's own parts read, and a lab script that logs its
// environment, or a compromised one, would see them all.

/** Enough to find programs, a home, the language and the time zone; nothing that authenticates. */
const SAFE = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TERM', 'TMPDIR'];

export function childEnv(names: readonly string[] = [], from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(from))
    if (v !== undefined && (SAFE.includes(k) || k.startsWith('LC_') || names.includes(k))) env[k] = v;
  return env;
}
