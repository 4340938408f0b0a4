// POSIX shell quoting: every value from a rig file or a network reply that ends up in a
// remote command line goes through sh(), so it is one literal word whatever it contains.

export function shq(value: string | number): string {
  const s = String(value);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Build a command line from a program and its arguments, each quoted. */
export function sh(...words: (string | number)[]): string {
  return words.map(shq).join(' ');
}
