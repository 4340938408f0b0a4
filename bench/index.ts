// `npm run bench`: runs every benchmark and prints its figures with the command that reproduces
// them. `npm run bench -- console` runs only the named ones.
const benches: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  console: () => import('./console-expect.bench.ts'),
  analyze: () => import('./analyze.bench.ts'),
  'twin-boot': () => import('./twin-boot.bench.ts'),
  flash: () => import('./flash.bench.ts'),
};

const wanted = process.argv.slice(2);
for (const [name, load] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n=== bench: ${name}`);
  await (await load()).run();
}
