export type PowerState = 'on' | 'off' | 'unknown';

/** One small interface per kind of part; a new PDU implements these four methods. */
export interface PowerSwitch {
  readonly description: string;
  on(): Promise<void>;
  off(): Promise<void>;
  /** Off, wait the rig's minimum off time, on. */
  cycle(): Promise<void>;
  state(): Promise<PowerState>;
  /** Pulse the board's reset button where the switch has one (RTE); otherwise cycle(). */
  reset?(): Promise<void>;
  /**
   * Hold the board's power button for holdMs (rounded up to the switch's unit) and resolve once it
   * is released; where the bench wires the button (RTE powerButtonGpio).
   */
  pressPowerButton?(holdMs: number): Promise<void>;
  close?(): Promise<void>;
}
