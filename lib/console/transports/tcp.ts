// A console on a TCP port (ser2net raw or telnet, QEMU's `-serial tcp:`): `{ kind: 'tcp', host,
// port, protocol }`.
import { z } from 'zod';
import { hostPort } from '../../core/rig-fields.ts';
import { defineConsoleTransport } from '../define-transport.ts';
import { openTcp } from '../tcp.ts';

export default defineConsoleTransport(
  z.strictObject({
    kind: z.literal('tcp'),
    ...hostPort,
    protocol: z.enum(['raw', 'telnet']).default('raw'),
  }),
  { describe: (c) => `ser2net ${c.protocol} ${c.host}:${c.port}`, open: (c, sink, opts) => openTcp(c, sink, opts) },
);
