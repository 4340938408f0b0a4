// HTTP(S) download of an image with got: progress on the bus, retries when the connection
// drops (got retries GET on ECONNRESET and 5xx), a size limit checked before and during the
// transfer, and a truncated body (fewer bytes than Content-Length) as a clear error.
import got, { HTTPError, RequestError } from 'got';
import { isRigError, RigError } from '../../lib/core/errors.ts';
import { progress } from '../../lib/core/progress.ts';
import { redact } from '../../lib/core/redact.ts';
import { FlashRefused } from './errors.ts';

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export interface DownloadOptions {
  maxBytes?: number;
  retries?: number;
  timeoutMs?: number;
}

export async function download(url: string, opts: DownloadOptions = {}): Promise<Buffer> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const shown = redact(url);
  const label = `download ${shown.replace(/^.*\//, '')}`;
  let seen = 0;
  let expected = 0;
  const request = got(url, {
    responseType: 'buffer',
    retry: { limit: opts.retries ?? 2, methods: ['GET'] },
    timeout: { connect: 10_000, response: 30_000, read: opts.timeoutMs ?? 60_000 },
  });
  request.on('response', (res) => {
    const len = Number(res.headers['content-length'] ?? 0);
    if (len > maxBytes) request.cancel(`too large: ${len}`);
  });
  request.on('downloadProgress', (p) => {
    seen = p.transferred;
    expected = p.total ?? 0;
    progress.emit('work', label, p.transferred, p.total ?? 0);
    if (p.transferred > maxBytes) request.cancel('too large');
  });
  try {
    const res = await request;
    return res.body;
  } catch (e) {
    if (request.isCanceled || (e as Error).name === 'CancelError')
      throw new FlashRefused('REFUSED_TOO_LARGE', `${shown} is larger than the ${maxBytes}-byte limit`);
    if (e instanceof HTTPError) {
      if (e.response.statusCode === 404)
        throw new FlashRefused('REFUSED_NOT_FOUND', `${shown}: HTTP 404 (no such image)`);
      throw new RigError(`download ${shown}: HTTP ${e.response.statusCode}`, {
        code: 'DOWNLOAD_HTTP',
        phase: 'download',
      });
    }
    if (e instanceof RequestError && e.code === 'ECONNRESET' && expected > 0)
      throw new RigError(
        `download ${shown} truncated: got ${seen} of ${expected} bytes (connection dropped, retried)`,
        {
          code: 'DOWNLOAD_TRUNCATED',
          phase: 'download',
        },
      );
    const code = (e as { code?: string }).code ?? 'ERROR';
    throw new RigError(`download ${shown} failed: ${code} ${redact((e as Error).message)}`, {
      code: 'DOWNLOAD_FAILED',
      phase: 'download',
    });
  }
}

/** A small text file (a checksum sidecar); undefined when the server has none (404/403/410). */
export async function fetchOptionalText(url: string): Promise<string | undefined> {
  try {
    const res = await got(url, {
      responseType: 'text',
      retry: { limit: 1 },
      timeout: { request: 15_000 },
      throwHttpErrors: false,
    });
    if ([404, 403, 410].includes(res.statusCode)) return undefined;
    if (res.statusCode >= 400)
      throw new RigError(`checksum ${redact(url)}: HTTP ${res.statusCode}`, {
        code: 'DOWNLOAD_HTTP',
      });
    return res.body.length > 64 * 1024 ? undefined : res.body;
  } catch (e) {
    if (isRigError(e)) throw e;
    throw new RigError(`checksum ${redact(url)} failed: ${(e as Error).message}`, {
      code: 'DOWNLOAD_FAILED',
    });
  }
}
