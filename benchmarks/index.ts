// `npm run bench`: runs every benchmark and prints its figures with the command that reproduces
// them. `npm run bench -- console` runs only the named ones; other arguments go to the benches
// named (`npm run bench -- soak 3 --suite firmware`). The soak runs only when named: it is N full
// runs, not a figure.
const benches: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  console: () => import('./console-expect.bench.ts'),
  analyze: () => import('./analyze.bench.ts'),
  'twin-boot': () => import('./twin-boot.bench.ts'),
  flash: () => import('./flash.bench.ts'),
  soak: () => import('./soak.ts'),
  'main-job': () => import('./main-job.bench.ts'),
};
const onlyWhenNamed = new Set(['soak', 'main-job']);

const argv = process.argv.slice(2);
const wanted = argv.filter((a) => a in benches);
const args = argv.filter((a) => !(a in benches));
for (const [name, load] of Object.entries(benches)) {
  if (wanted.length ? !wanted.includes(name) : onlyWhenNamed.has(name)) continue;
  console.log(`\n=== bench: ${name}`);
  await (await load()).run(args);
}
