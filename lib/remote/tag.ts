// Finding a timed-out command on the remote side. The SSH "signal" request is not enough on
// real benches: OpenSSH refuses it for root logins ("session signalling requires privilege
// separation") and dropbear may ignore it, and closing a channel without a pty kills nothing.
// So every command runs with a unique environment tag, inherited by all its descendants (even
// through exec), and a timeout kills every process carrying it, found through /proc/*/environ.
import { randomBytes } from 'node:crypto';

const VAR = 'IOMMU_LAB_RUN';

export function newTag(): string {
  return randomBytes(8).toString('hex');
}

/** The command as sent: the tag exported first, the caller's command unchanged after it. */
export function tagCommand(command: string, tag: string): string {
  return `${VAR}=${tag}; export ${VAR}; ${command}`;
}

/**
 * A POSIX/busybox script sending `signal` to every process tagged `tag`: one `grep -z` over all
 * environ files (NUL-separated entries; busybox grep has -z too), since a fork per process
 * takes seconds on a busy board. The killer is not matched itself: the tag is in its command
 * line, never in its environment.
 */
export function killTaggedScript(tag: string, signal: 'TERM' | 'KILL'): string {
  return (
    `for f in $(grep -lsxzF ${VAR}=${tag} /proc/[0-9]*/environ); do ` +
    `p=\${f#/proc/}; kill -${signal} "\${p%/environ}" 2>/dev/null; done; true`
  );
}
