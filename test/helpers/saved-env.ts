// Environment variables a test changes (a cache folder, PATH without a tool), put back after it.

/** Saves these variables as they are now; the returned function restores them (unset stays unset). */
export function savedEnv(...names: string[]): () => void {
  const saved = names.map((n) => [n, process.env[n]] as const);
  return () => {
    for (const [k, v] of saved)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  };
}
