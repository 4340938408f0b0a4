// A PCI address in a rig (board.nics, capabilities.passthroughNic, the dom0 image's NIC).
import { z } from 'zod';
import { BDF } from '../../xen/bdf.ts';

/** The same rule as the runtime's (lib/xen/bdf.ts): slot 00-1f, function 0-7, either case. */
export const bdf = z.string().regex(BDF, 'a PCI address like 02:00.0 (bus 00-ff, slot 00-1f, function 0-7)');
