// The twin's fault injector: applies a fault record (faults.ts) to the daemon's parts and keeps
// the power fault the RTE server meets. Served by twin/fault/server.ts; `iommu-lab twin fault
// <name>` calls it.
import {
  FAULTS,
  type FaultName,
  type FaultOptions,
  type FaultTargets,
  type PowerFault,
  type TwinFault,
} from './faults.ts';

export class FaultInjector {
  private power?: PowerFault;

  constructor(private readonly t: FaultTargets) {}

  /** For the RTE server: the fault a request meets, if any (counts it down). */
  powerFault = (): 'fail' | 'hang' | undefined => {
    const p = this.power;
    if (!p) return undefined;
    if (--p.left <= 0) this.power = undefined;
    this.t.log?.(`fault: power request ${p.kind === 'fail' ? 'answered 500' : 'left hanging'}`);
    return p.kind;
  };

  /** Applies a fault; resolves with what was done, rejects with why it could not be. */
  async inject(name: FaultName, o: FaultOptions = {}): Promise<string> {
    this.t.log?.(`fault: ${name} ${JSON.stringify(o)}`);
    const fault: TwinFault = FAULTS[name];
    return fault.inject({ ...this.t, setPowerFault: (p) => (this.power = p) }, o);
  }
}
