// An SSH target in a rig (dom0, the bench controller, a guest): where, who, and how its host key
// is trusted. Owned by lib/remote, which connects to it; lib/rig composes it into the rig.
import { z } from 'zod';
import { hostPort, ms, secretRef } from '../core/rig-fields.ts';

/** How to trust an SSH host key: a fingerprint, a known_hosts file, or an explicit opt-out. */
const hostKeyPolicy = z.union([
  z.strictObject({
    fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'an OpenSSH fingerprint "SHA256:..."'),
  }),
  z.strictObject({ knownHosts: z.string().min(1) }),
  z.strictObject({ acceptAny: z.literal(true) }),
]);

export const sshTarget = z.strictObject({
  ...hostPort,
  port: hostPort.port.default(22),
  user: z.string().min(1),
  password: secretRef.optional(),
  privateKey: secretRef.optional(),
  hostKey: hostKeyPolicy,
  connectTimeoutMs: ms.default(10_000),
});
export type SshTarget = z.infer<typeof sshTarget>;
