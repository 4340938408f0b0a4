// One boot's server, from the rig: resolve the image set (refusing what is missing or outside
// the root), listen where boot.server.listen says, serve the script rendered for that port.
// What a session starts for a run and what `iommu-lab pxe serve` runs until Ctrl-C.
import { realpath } from 'node:fs/promises';
import { expandPath } from '../core/secrets.ts';
import type { BootServerConfig, Rig } from '../rig/schema.ts';
import { type EfiBoot, prepareEfiBoot } from './efi-boot.ts';
import { createBootHttpServer, type Source } from './http-server.ts';
import { listenOn } from './listen.ts';
import { RequestLog } from './request-log.ts';
import { renderBootScript, SCRIPT_PATH, serverUrl } from './script.ts';
import { type ServedImages, servedImages } from './served-manifest.ts';
import { BOOT_PATHS, resolveServedSet, type ServedFile } from './served-set.ts';

export interface BootPlan {
  /** `http://<advertised host>:<port>`, as the board reaches the server. */
  base: string;
  /** The URL the board chains: base + /boot.ipxe. */
  scriptUrl: string;
  script: string;
}

export function serverConfig(rig: Rig): BootServerConfig {
  if (!rig.boot.server) throw new Error(`rig ${rig.name} has no boot.server`);
  return rig.boot.server;
}

/**
 * The script and its URL (also for `pxe serve --dry-run`). `port` is where the server listens,
 * if not boot.server.listen.port (0 there: any free port, in tests).
 */
export function planBoot(rig: Rig, port?: number): BootPlan {
  const cfg = serverConfig(rig);
  const base = serverUrl(cfg, port);
  const script = renderBootScript({
    base,
    xenCommandLine: rig.boot.xenCommandLine,
    dom0CommandLine: cfg.dom0CommandLine,
    paths: BOOT_PATHS,
  });
  return { base, scriptUrl: `${base}${SCRIPT_PATH}`, script };
}

export interface BootServer extends BootPlan {
  files: ServedFile[];
  /** The image set served, from its manifest (summary.json images); none for a hand-made set. */
  images?: ServedImages;
  /** GRUB EFI and grub.cfg for a UEFI board (lib/pxe/efi-boot.ts); absent when the rig boots SeaBIOS only. */
  efi?: EfiBoot;
  log: RequestLog;
  /** Where it listens. */
  listening: { host: string; port: number };
  close(): Promise<void>;
}

export async function startBootServer(rig: Rig): Promise<BootServer> {
  const cfg = serverConfig(rig);
  // Missing or escaping files are refused before anything listens.
  const files = await resolveServedSet(cfg);
  const images = await servedImages(expandPath(cfg.root), files);
  // Each file is checked again at every request against the root (lib/pxe/http-server.ts).
  const root = await realpath(expandPath(cfg.root));
  const map = new Map<string, Source>(files.map((f) => [f.path, { file: f.file, root }]));
  const log = new RequestLog();
  const server = createBootHttpServer(map, log);
  const addr = await listenOn(server, cfg.listen.host, cfg.listen.port);
  const plan = planBoot(rig, addr.port);
  map.set(SCRIPT_PATH, { bytes: Buffer.from(plan.script), type: 'text/plain; charset=utf-8' });
  // Built after listening: the stub names the port the board reaches (any free one in tests).
  const efi = await prepareEfiBoot(rig, plan.base, cfg.dom0CommandLine).catch(async (e) => {
    await new Promise<void>((r) => server.close(() => r()));
    throw e;
  });
  for (const [path, source] of efi?.serve ?? []) map.set(path, source);
  let closed: Promise<void> | undefined;
  return {
    ...plan,
    files,
    ...(images ? { images } : {}),
    ...(efi ? { efi: efi.efi } : {}),
    log,
    listening: { host: addr.address, port: addr.port },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A board still holding a keep-alive connection must not keep the run waiting.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
