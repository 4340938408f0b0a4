// What a console transport provides: bytes in (pushed to a sink from the moment it opens, before
// any write), bytes out, close. TCP and tty implement it; the console on top is the same.

export interface ConsoleSink {
  data(chunk: Buffer): void;
  /** The transport is gone on its own (server closed, USB unplugged): never called after close(). */
  end(err: Error): void;
}

export interface Transport {
  readonly description: string;
  write(data: Buffer): Promise<void>;
  close(): Promise<void>;
}
