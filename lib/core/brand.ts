// Recognising an error family by a process-wide symbol on its prototype instead of `instanceof`:
// tsx may load a module twice (an ESM and a CJS copy, or two URLs), and an error made by one copy
// is not an instance of the other's class. `Symbol.for` is shared by every copy, so the check
// holds (execa's "works across realms" isExecaError is the model).

// biome-ignore lint/suspicious/noExplicitAny: any constructor signature
type Class<T> = abstract new (...args: any[]) => T;

/** Marks `cls` (and its subclasses) as the family `name`; returns the one check for it. */
export function brand<T extends object>(cls: Class<T>, name: string): (e: unknown) => e is T {
  const mark = Symbol.for(`iommu-lab.${name}`);
  Object.defineProperty(cls.prototype, mark, { value: true });
  return (e: unknown): e is T => typeof e === 'object' && e !== null && mark in e;
}
