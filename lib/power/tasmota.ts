// Power through a Sonoff/Tasmota plug: `GET /cm?cmnd=Power%20On` → {"POWER":"ON"}. Credentials
// (Tasmota's web password) travel as query parameters; the password comes from the rig's secret
// and is registered for redaction before the first request.
import { step } from '../core/step.ts';
import type { PowerConfig } from '../rig/schema.ts';
import { readSecret } from '../rig/secrets.ts';
import { cycleWith } from './cycle.ts';
import { badReply, type HttpRequest, type HttpTarget, requestJson } from './http-client.ts';
import type { PowerState, PowerSwitch } from './types.ts';

type TasmotaConfig = Extract<PowerConfig, { kind: 'tasmota' }>;

export class TasmotaPower implements PowerSwitch {
  readonly description: string;
  private readonly target: HttpTarget;

  private constructor(
    private readonly cfg: TasmotaConfig,
    private readonly password: string | undefined,
  ) {
    this.description = `Tasmota plug at ${cfg.url}`;
    this.target = { name: this.description, timeoutMs: cfg.timeoutMs, part: 'power' };
  }

  static async open(cfg: TasmotaConfig): Promise<TasmotaPower> {
    const password = cfg.password ? await readSecret(cfg.password, 'power.password') : undefined;
    return new TasmotaPower(cfg, password);
  }

  on(): Promise<void> {
    return step('power on', { switch: this.description }, () => this.expect('Power On', 'on'));
  }

  off(): Promise<void> {
    return step('power off', { switch: this.description }, () => this.expect('Power Off', 'off'));
  }

  cycle(): Promise<void> {
    return cycleWith(this, this.cfg.minOffMs);
  }

  state(): Promise<PowerState> {
    return this.command('Power');
  }

  private async expect(cmnd: string, want: PowerState): Promise<void> {
    const got = await this.command(cmnd);
    if (got !== want) throw badReply(this.target, this.request(cmnd), `the plug reports ${got} after "${cmnd}"`);
  }

  private request(cmnd: string): HttpRequest {
    const q = [`cmnd=${encodeURIComponent(cmnd)}`];
    if (this.cfg.user !== undefined) q.unshift(`user=${encodeURIComponent(this.cfg.user)}`);
    if (this.password !== undefined) q.splice(1, 0, `password=${encodeURIComponent(this.password)}`);
    // Power On/Off/state are idempotent: a repeated "Power On" leaves the plug on.
    return { url: `${this.cfg.url.replace(/\/+$/, '')}/cm?${q.join('&')}`, idempotent: true, phase: cmnd };
  }

  private async command(cmnd: string): Promise<PowerState> {
    const req = this.request(cmnd);
    const reply = (await requestJson(this.target, req)) as Record<string, unknown> | null;
    // Tasmota answers a wrong or missing password with HTTP 200 and a WARNING.
    if (reply && typeof reply.WARNING === 'string')
      throw badReply(this.target, req, `the plug refused the request: ${reply.WARNING}`);
    const power = reply?.POWER ?? reply?.POWER1;
    if (power === 'ON') return 'on';
    if (power === 'OFF') return 'off';
    throw badReply(this.target, req, `expected {"POWER":"ON"|"OFF"}, got ${JSON.stringify(reply)?.slice(0, 200)}`);
  }
}
