// `iommu-lab twin setup`: host packages, then the images, then a report of sizes and times.
import { type EnsureOptions, type EnsureResult, ensureTwinImages } from './index.ts';
import { ensureHostPackages } from './packages.ts';

export interface SetupResult extends EnsureResult {
  installed: string[];
  report: string;
}

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function formatSetupReport(r: EnsureResult & { installed?: string[] }): string {
  const m = r.manifest;
  const lines = [
    `twin images (Xen ${r.images.xenVersion}) ${m.key} in ${r.images.dir}`,
    r.built
      ? `built in ${secs(r.elapsedMs)}`
      : `cached: ready in ${secs(r.elapsedMs)} (cold build took ${secs(m.buildMs)} on ${m.builtAt})`,
    `Xen ${m.xenPackageVersion}, Linux ${m.kernelVersion}, dom0 initramfs ${m.dom0Compression}`,
  ];
  if (r.installed?.length) lines.push(`installed: ${r.installed.join(' ')}`);
  for (const [f, n] of Object.entries(m.sizes)) lines.push(`  ${f.padEnd(18)} ${mib(n).padStart(10)}`);
  for (const [s, ms] of Object.entries(m.stepsMs)) lines.push(`  ${s.padEnd(34)} ${secs(ms).padStart(8)}`);
  return lines.join('\n');
}

export async function twinSetup(opts: EnsureOptions = {}): Promise<SetupResult> {
  const installed = await ensureHostPackages();
  const r = await ensureTwinImages(opts);
  return { ...r, installed, report: formatSetupReport({ ...r, installed }) };
}
