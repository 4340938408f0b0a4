// Whether a pid names a live process: what every pid-file lock here asks before calling a
// holder stale. EPERM means alive (someone else's process), only ESRCH means gone.
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
