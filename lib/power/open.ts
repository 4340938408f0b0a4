// The one place that maps a rig's `power.kind` to its driver.
import type { PowerConfig } from '../rig/schema.ts';
import { CommandPower } from './command.ts';
import { type ManualIo, ManualPower } from './manual.ts';
import { RtePower } from './rte.ts';
import { TasmotaPower } from './tasmota.ts';
import type { PowerSwitch } from './types.ts';

export async function openPower(cfg: PowerConfig, deps: { manualIo?: Partial<ManualIo> } = {}): Promise<PowerSwitch> {
  switch (cfg.kind) {
    case 'rte':
      return new RtePower(cfg);
    case 'tasmota':
      return TasmotaPower.open(cfg);
    case 'command':
      return new CommandPower(cfg);
    case 'manual':
      return new ManualPower(cfg, deps.manualIo);
  }
}
