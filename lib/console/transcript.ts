// Every received byte goes to the transcript file, synchronously: once write() returns the bytes
// are in the kernel, so a crash, a timeout or a kill -9 of this process loses none of them. At
// serial rates (~11.5 KB/s) the syscall per chunk costs nothing.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class Transcript {
  private fd: number | undefined;
  /** Bytes of console data written (the header line excluded). */
  bytes = 0;

  /** Opens (truncates) the file and writes one header line naming the console. */
  constructor(
    readonly path: string,
    description: string,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    writeSync(this.fd, `# iommu-lab console transcript: ${description}, opened ${new Date().toISOString()}\n`);
  }

  write(chunk: Buffer): void {
    if (this.fd === undefined) return;
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done);
    this.bytes += chunk.length;
  }

  /** Flushes to disk and closes; safe to call twice. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** The console bytes of a transcript file: everything after the header line. */
export const transcriptBody = (file: Buffer): Buffer => file.subarray(file.indexOf(0x0a) + 1);
