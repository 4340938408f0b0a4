export interface ExpectOptions {
  /** ms; every wait has one. */
  timeout: number;
  /** Shown in errors and reports: "wait for Xen banner". */
  name: string;
  /** Silence longer than this is a hang (per stage; flashing or iperf may be silent for minutes). */
  silenceMs?: number;
  /** Extra death patterns for this wait only, on top of the always-armed ones. */
  deathPatterns?: RegExp[];
}

export interface ExpectMatch {
  /** The matched text. */
  text: string;
  /** Regex groups when the pattern was a RegExp. */
  groups: string[];
  /** Everything consumed by this expect, from the previous position to the end of the match. */
  before: string;
  /** Byte offset of the match end in the received stream (the transcript minus its header line). */
  offset: number;
}

export interface Console {
  readonly description: string;
  /** Path of the transcript file holding every byte received. */
  readonly transcriptPath: string;
  expect(pattern: RegExp | string, opts: ExpectOptions): Promise<ExpectMatch>;
  /** Text is sent as UTF-8; bytes (an engineer's keystrokes) are sent exactly as they are. */
  send(data: string | Uint8Array): Promise<void>;
  /** Per-character delay for firmware that drops fast input (iPXE, SeaBIOS menus). */
  sendSlowly(text: string, opts?: { chunk?: number; delayMs?: number }): Promise<void>;
  /** Bytes received so far that no expect has consumed. */
  pending(): string;
  /** Drop unconsumed bytes (they stay in the transcript). */
  discard(): void;
  /** Last n lines seen, for error messages. */
  tail(lines?: number): string;
  /** How long the board has printed nothing (a hang spans many short waits). */
  silentForMs(): number;
  /** Writes one marker line of iommu-lab's into the transcript; returns its line number there. */
  mark?(text: string): number | undefined;
  close(): Promise<void>;
}
