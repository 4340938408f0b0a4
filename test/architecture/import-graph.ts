// The project's own import graph, for the architecture test: every relative import of every .ts
// file (static, re-export, side-effect, dynamic `import()`, type-only), files and folders as
// nodes, and the cycles in it. A small tokenizer rather than regexes over raw text, because the
// parsers here are full of regex literals and strings that contain quotes, `//` and `import(`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportRef {
  /** As written, e.g. `../core/text.ts`. */
  spec: string;
  typeOnly: boolean;
  dynamic: boolean;
}

type Token = { kind: 'word' | 'punct' | 'string' | 'template' | 'regex' | 'number'; text: string };

// After these a `/` starts a regex literal, not a division.
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const prevAllowsDivision = () => {
    const p = out[out.length - 1];
    if (!p) return false;
    if (p.kind === 'word') return !BEFORE_REGEX.has(p.text);
    if (p.kind === 'number' || p.kind === 'string' || p.kind === 'template' || p.kind === 'regex') return true;
    return p.text === ')' || p.text === ']' || p.text === '}';
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (src.startsWith('//', i)) i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    else if (src.startsWith('/*', i)) i = src.indexOf('*/', i + 2) < 0 ? src.length : src.indexOf('*/', i + 2) + 2;
    else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c && src[j] !== '\n') {
        if (src[j] === '\\') j++;
        text += src[j++];
      }
      out.push({ kind: 'string', text });
      i = j + 1;
    } else if (c === '`') i = skipTemplate(src, i, out);
    else if (c === '/' && !prevAllowsDivision()) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n' && (inClass || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        j++;
      }
      j++;
      while (j < src.length && /[a-z]/i.test(src[j])) j++;
      out.push({ kind: 'regex', text: src.slice(i, j) });
      i = j;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[\w$]+/.exec(src.slice(i, i + 100)) as RegExpExecArray;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else if (/\d/.test(c)) {
      const m = /^[\w.]+/.exec(src.slice(i, i + 100)) as RegExpExecArray;
      out.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

/** Skips a template literal, tokenizing the code inside `${…}` (it may hold imports too). */
function skipTemplate(src: string, start: number, out: Token[]): number {
  let i = start + 1;
  while (i < src.length && src[i] !== '`') {
    if (src[i] === '\\') i += 2;
    else if (src.startsWith('${', i)) {
      let depth = 1;
      let j = i + 2;
      while (j < src.length && depth > 0) {
        if (src[j] === '{') depth++;
        else if (src[j] === '}') depth--;
        else if (src[j] === '`') j = skipTemplate(src, j, []) - 1;
        j++;
      }
      out.push(...tokenize(src.slice(i + 2, j - 1)));
      i = j;
    } else i++;
  }
  out.push({ kind: 'template', text: '' });
  return i + 1;
}

/** Every import of a module written as a string literal (computed `import(url)` is not one). */
export function parseImports(src: string): ImportRef[] {
  const t = tokenize(src);
  const refs: ImportRef[] = [];
  let statementTypeOnly = false;
  for (let k = 0; k < t.length; k++) {
    const w = t[k];
    if (w.kind === 'word' && (w.text === 'import' || w.text === 'export') && t[k - 1]?.text !== '.') {
      statementTypeOnly = t[k + 1]?.text === 'type' && t[k + 2]?.text !== '(';
      if (w.text === 'import' && t[k + 1]?.kind === 'string')
        refs.push({ spec: t[k + 1].text, typeOnly: false, dynamic: false });
      if (w.text === 'import' && t[k + 1]?.text === '(' && t[k + 2]?.kind === 'string')
        refs.push({ spec: t[k + 2].text, typeOnly: t[k + 4]?.text === '.', dynamic: true });
    } else if (w.kind === 'word' && w.text === 'from' && t[k + 1]?.kind === 'string')
      refs.push({ spec: t[k + 1].text, typeOnly: statementTypeOnly, dynamic: false });
  }
  return refs;
}

export interface Graph {
  root: string;
  /** Repo-relative .ts paths. */
  files: string[];
  /** file → files it imports (repo-relative), only relative imports that resolve. */
  edges: Map<string, Set<string>>;
  /** Relative imports that point at no file. */
  unresolved: { from: string; spec: string }[];
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : walk(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

export function buildGraph(root: string, dirs: string[]): Graph {
  const files = dirs
    .flatMap((d) => walk(join(root, d)))
    .map((f) => relative(root, f))
    .sort();
  const edges = new Map<string, Set<string>>();
  const unresolved: Graph['unresolved'] = [];
  for (const f of files) {
    const to = new Set<string>();
    for (const ref of parseImports(readFileSync(join(root, f), 'utf8'))) {
      if (!ref.spec.startsWith('./') && !ref.spec.startsWith('../')) continue;
      const abs = resolve(root, dirname(f), ref.spec);
      if (existsSync(abs)) to.add(relative(root, abs));
      else unresolved.push({ from: f, spec: ref.spec });
    }
    edges.set(f, to);
  }
  return { root, files, edges, unresolved };
}

/** The folder graph: folder A → B when a file in A imports a file in B (A ≠ B). */
export function folderEdges(g: Graph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [from, tos] of g.edges) {
    const a = dirname(from);
    if (!out.has(a)) out.set(a, new Set());
    for (const to of tos) if (dirname(to) !== a) out.get(a)?.add(dirname(to));
  }
  return out;
}

export interface Cycle {
  /** Every node of the strongly connected component, sorted. */
  members: string[];
  /** One shortest loop through it, first node repeated at the end. */
  loop: string[];
}

/** Strongly connected components with more than one node, or a node importing itself (Tarjan). */
export function cycles(edges: Map<string, Set<string>>): Cycle[] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: Cycle[] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || edges.get(v)?.has(v)) found.push({ members: c.sort(), loop: shortestLoop(edges, c) });
    }
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) strong(v);
  return found.sort((a, b) => a.members[0].localeCompare(b.members[0]));
}

/** The shortest path from the component's first node (sorted) back to itself, inside it. */
function shortestLoop(edges: Map<string, Set<string>>, component: string[]): string[] {
  const inside = new Set(component);
  const start = [...component].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of [...(edges.get(v) ?? [])].sort()) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0]) as string);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** "a → b → a", and the rest of the component when it is bigger than the loop. */
export function formatCycle(c: Cycle): string {
  const rest = c.members.filter((m) => !c.loop.includes(m));
  return c.loop.join(' → ') + (rest.length > 0 ? `   (same circle: ${rest.join(', ')})` : '');
}
