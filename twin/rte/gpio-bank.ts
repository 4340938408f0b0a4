// The RTE's 20 GPIOs as its REST API reports them (3mdeb RteCtrl: `id`, numeric `state`,
// `description`, `direction`). 0 is the relay (1 = closed), 1-12 are open-collector outputs
// (1 = pulled low / active), 13-19 plain GPIOs. `time` (seconds) inverts a pin after that long.
import { EventEmitter } from 'node:events';
import type { GpioMap } from '../base/gpio-map.ts';

export interface GpioPin {
  id: number;
  state: 0 | 1;
  description: string;
  direction: 'in' | 'out';
}

const RTE_NAMES = [
  'relay',
  'oc3',
  'oc2',
  'oc1',
  'oc6',
  'oc5',
  'oc4',
  'apu_wdt',
  'apu_rst',
  'apu_pwr',
  'apu_modesw',
  'apu_clr_cmos',
  'apu_wp',
  'ext0',
  'ext1',
  'ext2',
  'ext3',
  'led1',
  'led2',
  'led3',
];

export class GpioBank extends EventEmitter<{ change: [id: number, state: 0 | 1] }> {
  private readonly pins: GpioPin[];
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(map: GpioMap) {
    super();
    const names = [...RTE_NAMES];
    names[map.relay] = 'relay';
    names[map.reset] = 'apu_rst';
    names[map.power] = 'apu_pwr';
    names[map.cmos] = 'apu_clr_cmos';
    names[map.wp] = 'apu_wp';
    if (map.spiMux) {
      names[map.spiMux.lines] = 'spi_lines';
      names[map.spiMux.vcc] = 'spi_vcc';
      names[map.spiMux.voltage] = 'spi_voltage';
    }
    this.pins = names.map((description, id) => ({ id, state: 0, description, direction: id <= 12 ? 'out' : 'in' }));
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.pins.length;
  }

  get(id: number): GpioPin {
    return { ...this.pins[id] };
  }

  list(): GpioPin[] {
    return this.pins.map((p) => ({ ...p }));
  }

  /** Like RteCtrl: set now; with timeSec > 0, set the opposite level after that many seconds. */
  set(id: number, state: 0 | 1, opts: { direction?: 'in' | 'out'; timeSec?: number } = {}): void {
    const pin = this.pins[id];
    if (opts.direction) pin.direction = opts.direction;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.apply(id, state);
    if (opts.timeSec && opts.timeSec > 0) {
      const t = setTimeout(() => {
        this.timers.delete(id);
        this.apply(id, state === 0 ? 1 : 0);
      }, opts.timeSec * 1000);
      t.unref();
      this.timers.set(id, t);
    }
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private apply(id: number, state: 0 | 1): void {
    if (this.pins[id].state === state) return;
    this.pins[id].state = state;
    this.emit('change', id, state);
  }
}
