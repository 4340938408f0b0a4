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
  /** Whether the whole reply went out; false when the client went away mid-body (or was dropped). */
  complete: boolean;
}

/** Lines shown live per listener: a flood of requests is counted and kept, not printed without end. */
export const SHOWN_MAX = 200;
/** Entries kept: beyond this a flood is only counted (the board's own boot is a handful). */
export const KEPT_MAX = 10_000;

/** One line a person reads: `10.0.0.5 GET /xen 200 1234567 B 812 ms`. */
export function formatEntry(e: RequestEntry): string {
  return `${e.client} ${e.method} ${e.path} ${e.status}${e.complete ? '' : ' ABORTED'} ${e.bytes} B ${e.ms} ms`;
}

export class RequestLog {
  private readonly list: RequestEntry[] = [];
  private readonly events = new EventEmitter();
  /** Requests beyond KEPT_MAX, counted only. */
  dropped = 0;

  add(entry: RequestEntry): void {
    if (this.list.length < KEPT_MAX) this.list.push(entry);
    else this.dropped++;
    this.events.emit('entry', entry);
  }

  get entries(): readonly RequestEntry[] {
    return this.list;
  }

  /**
   * Calls fn for each later request, up to SHOWN_MAX; then once more with a line saying the rest
   * are not shown (a client flooding the server must not flood the console). Returns the
   * function that stops it.
   */
  onEntry(fn: (e: RequestEntry) => void): () => void {
    let shown = 0;
    const each = (e: RequestEntry) => {
      shown++;
      if (shown <= SHOWN_MAX) return fn(e);
      if (shown === SHOWN_MAX + 1)
        fn({ ...e, method: '-', path: `(more than ${SHOWN_MAX} requests: further ones are not shown)` });
    };
    this.events.on('entry', each);
    return () => this.events.off('entry', each);
  }

  /** Whether someone GOT this path (a complete or partial body) since entry number `since`. */
  fetched(path: string, since = 0): boolean {
    return this.list.slice(since).some((e) => e.method === 'GET' && e.path === path && e.status < 300);
  }

  /** What the board fetched, for summary.json (`boot.served`). */
  served(): { path: string; bytes: number; ms: number; client: string; complete: boolean }[] {
    return this.list
      .filter((e) => e.method === 'GET' && e.status < 300)
      .map((e) => ({ path: e.path, bytes: e.bytes, ms: e.ms, client: e.client, complete: e.complete }));
  }
}
