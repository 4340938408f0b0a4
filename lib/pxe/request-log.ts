// What the boot server was asked, request by request: the evidence that the board (and nobody
// else) fetched its boot, for the console, the run's report and summary.json's boot.served.
import { EventEmitter } from 'node:events';

export interface RequestEntry {
  /** When the request arrived (ISO time). */
  at: string;
  method: string;
  /** The request target as sent (printable: control characters escaped by the server). */
  path: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  /** From the request to the last byte sent (or the connection's end). */
  ms: number;
  /** The client's address: on a bench, the board's. */
  client: string;
}

/** One line a person reads: `10.0.0.5 GET /xen 200 1234567 B 812 ms`. */
export function formatEntry(e: RequestEntry): string {
  return `${e.client} ${e.method} ${e.path} ${e.status} ${e.bytes} B ${e.ms} ms`;
}

export class RequestLog {
  private readonly list: RequestEntry[] = [];
  private readonly events = new EventEmitter();

  add(entry: RequestEntry): void {
    this.list.push(entry);
    this.events.emit('entry', entry);
  }

  get entries(): readonly RequestEntry[] {
    return this.list;
  }

  /** Calls fn for every later request; returns the function that stops it. */
  onEntry(fn: (e: RequestEntry) => void): () => void {
    this.events.on('entry', fn);
    return () => this.events.off('entry', fn);
  }

  /** Whether someone GOT this path (a complete or partial body) since entry number `since`. */
  fetched(path: string, since = 0): boolean {
    return this.list.slice(since).some((e) => e.method === 'GET' && e.path === path && e.status < 300);
  }

  /** What the board fetched, for summary.json (`boot.served`). */
  served(): { path: string; bytes: number; ms: number }[] {
    return this.list
      .filter((e) => e.method === 'GET' && e.status < 300)
      .map((e) => ({ path: e.path, bytes: e.bytes, ms: e.ms }));
  }
}
