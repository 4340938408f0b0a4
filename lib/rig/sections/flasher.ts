// The rig's `flasher` section: the programmer, where flashrom runs, how the board is put into the
// power state it is flashed in, and the RTE pins around a write. Under lib/rig, not flash/: flash/
// sits above lib/, and the rig is validated below it.
import { z } from 'zod';
import { int, ms } from '../../core/rig-fields.ts';
import { sshTarget } from '../../remote/target-schema.ts';

/**
 * RTE v1.1 SPI mux: which GPIOs switch the chip to the programmer and power it (RTE v1.0 has none:
 * leave it out). Waits as Dasharo/osfv-scripts osfv_cli/src/osfv/libs/rte.py `spi_enable` does:
 * voltage, 2 s, Vcc, 2 s, lines, 10 s.
 */
const spiMux = z.strictObject({
  url: z.url(),
  voltage: z.enum(['1.8V', '3.3V']),
  vccGpio: int(0),
  voltageGpio: int(0),
  linesGpio: int(0),
  voltageSettleMs: ms.default(2000),
  vccSettleMs: ms.default(2000),
  /** After the lines switch, before flashrom runs. */
  settleMs: ms.default(10_000),
});

/**
 * How the board is put into S5 (powered, soft-off) for the flash, as osfv rte.py
 * `pwr_ctrl_before_flash` does: relay on (an apu2 starts by itself on power), wait, power button
 * held 6 s (the chipset's 4 s override forces S5), wait. The power button is power.powerButtonGpio.
 */
const s5Entry = z.strictObject({
  /** After the relay closes (osfv: `psu_on` sleeps 5 s, then 5 s more). */
  powerOnWaitMs: ms.default(10_000),
  /** The hold that forces S5; the override needs at least 4 s (osfv `power_off(6)`). */
  holdMs: int(4000, 60_000, ' ms (the power-button override needs 4 s)').default(6000),
  /** After the hold, before the flasher touches the chip (osfv sleeps 10 s). */
  afterHoldMs: ms.default(10_000),
});

/** A board header pin the RTE drives through an open-collector GPIO (3mdeb RteCtrl.cfg ids 1-12). */
const rtePin = { url: z.url(), gpio: int(0) };

export const flasherSchema = z.strictObject({
  where: z.enum(['ssh', 'local']),
  /** Bench controller (e.g. the RTE), required when where = ssh. */
  controller: sshTarget.optional(),
  programmer: z.string().min(1),
  /** Pins flashrom's chip definition (-c). Absent: flashrom probes (board.flash.chip breaks a tie). */
  chip: z.string().min(1).optional(),
  /**
   * The board's power state while the chip is flashed. S5 (board powered, soft-off; the chip on
   * its standby rail) is how PC Engines and 3mdeb flash an apu2 (osfv models/APU2.yml
   * `flashing_power_state: "S5"`); G3 (relay open) only where the programmer powers the chip
   * itself (a clip with Vcc wired).
   */
  powerState: z.enum(['S5', 'G3']).default('S5'),
  s5: s5Entry.prefault({}),
  /**
   * The board's SPI write-protect pin, released (open-collector high-z) before flashing
   * (3mdeb/testing-trenchboot platform-configs/apu2.robot "Flash apu": OC GPIO 12 high-z).
   */
  writeProtect: z.strictObject(rtePin).optional(),
  /**
   * Clear CMOS after a write: wait delayMs, hold the pin low holdMs, release (osfv rte.py
   * `flash_write` sleeps 2 s, then `reset_cmos`: GPIO 11 low, 10 s, high-z).
   */
  cmosReset: z.strictObject({ ...rtePin, holdMs: ms.default(10_000), delayMs: ms.default(2000) }).optional(),
  spiMux: spiMux.optional(),
  timeoutMs: ms.default(180_000),
  restoreOnVerifyFailure: z.boolean().default(true),
  remoteDir: z.string().default('/tmp/iommu-lab'),
});

export type FlasherConfig = z.output<typeof flasherSchema>;
