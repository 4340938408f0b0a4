// A literal as the source of a RegExp that matches exactly it (every pattern character escaped).
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
