// The rig's `board` section: the model, its NICs and its flash chip.
import { z } from 'zod';
import { int } from '../../core/rig-fields.ts';
import { bdf } from './pci.ts';

export const boardSchema = z.strictObject({
  model: z.string().min(1),
  nics: z.array(z.strictObject({ name: z.string().min(1), pci: bdf })).min(1),
  flash: z.strictObject({
    /**
     * The flashrom chip definition(s) this board may carry. Never forced with -c (only
     * flasher.chip pins): flashrom probes, and when its probe matches several definitions of
     * one JEDEC ID (W25Q64BV/CV/FV and W25Q64JV-.Q; four MX25L64 parts) it stops and asks for
     * -c — then the first named here that matched is taken. Absent: flashrom's probe alone decides.
     */
    chip: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    sizeBytes: int(1),
  }),
});
