// The QEMU twin as a bench provider: the only module in lib/ that knows the twin exists.
// The twin starts everything a run on it needs (power API, serial, controller, iperf3 peer).
export async function ensureUp(): Promise<void> {
  const { ensureTwinUp } = await import('../../twin/index.ts');
  await ensureTwinUp();
}
