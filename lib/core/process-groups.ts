// The process groups exec() started and that still run. Each child leads its own group (so a
// timeout reaches its children too), which takes it out of the terminal's foreground group: a
// Ctrl-C no longer reaches it by itself. So while any runs, SIGINT/SIGTERM/SIGHUP are passed on
// to them, and whatever still runs when this process exits is killed.

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const live = new Set<number>();

export function killGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // Already gone.
  }
}

function onExit(): void {
  for (const g of live) killGroup(g, 'SIGKILL');
}

function onSignal(sig: NodeJS.Signals): void {
  for (const g of live) killGroup(g, sig);
  // Nobody else handles it: die of it as if we had not listened (Node's default).
  if (process.listenerCount(sig) === 1) {
    unhook();
    process.kill(process.pid, sig);
  }
}

function hook(): void {
  process.on('exit', onExit);
  for (const s of FORWARDED) process.on(s, onSignal);
}

function unhook(): void {
  process.off('exit', onExit);
  for (const s of FORWARDED) process.off(s, onSignal);
}

export function trackGroup(pgid: number): void {
  if (live.size === 0) hook();
  live.add(pgid);
}

export function untrackGroup(pgid: number): void {
  if (live.delete(pgid) && live.size === 0) unhook();
}
