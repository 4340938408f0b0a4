// The parts a session opens on first use, by name: each opened once, closed with the session (in
// reverse, on its teardown stack); a failed open is not kept, so the next use tries again.
import type { TeardownStack } from './teardown.ts';

export class NamedParts {
  private readonly parts = new Map<string, Promise<unknown>>();

  constructor(private readonly teardown: TeardownStack) {}

  use<T>(name: string, open: () => Promise<T>, close?: (part: T) => Promise<void>): Promise<T> {
    let part = this.parts.get(name) as Promise<T> | undefined;
    if (part) return part;
    part = open().then((p) => {
      if (close) this.teardown.push(`close ${name}`, () => close(p));
      return p;
    });
    part.catch(() => this.parts.delete(name));
    this.parts.set(name, part);
    return part;
  }
}
