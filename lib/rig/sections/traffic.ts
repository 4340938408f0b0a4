// The rig's `traffic` section: the iperf3 peer the guests measure against, and for how long.
// Under lib/rig, not lib/net: lib/net uses lib/remote, which names lib/rig's SSH target.
import { z } from 'zod';
import { hostPort, int } from '../../core/rig-fields.ts';

export const trafficSchema = z.strictObject({
  peer: z.strictObject({ ...hostPort, port: hostPort.port.default(5201) }),
  guestAddress: z.string().optional(),
  seconds: int(1, 86_400, ' s (24 h)').default(10),
  /** The passed-through NIC's throughput over dom0's, at least. */
  threshold: z
    .number()
    .gt(0, 'expected a number above 0, at most 2')
    .max(2, 'expected a number above 0, at most 2')
    .optional(),
  measurePv: z.boolean().default(false),
});
