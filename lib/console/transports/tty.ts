// A local serial device (USB adapter, or the twin's pty): `{ kind: 'tty', path, baudRate }`.
import { z } from 'zod';
import { int } from '../../core/rig-fields.ts';
import { defineConsoleTransport } from '../define-transport.ts';
import { openTty } from '../tty.ts';

export default defineConsoleTransport(
  z.strictObject({
    kind: z.literal('tty'),
    path: z.string().min(1),
    baudRate: int(1).default(115200),
  }),
  { describe: (c) => `${c.path} @${c.baudRate}`, open: (c, sink) => openTty(c, sink) },
);
