// After `chain`, the proof that the board reached iommu-lab's boot server is in the server's own
// request log, not on the console: a board that cannot reach the test host fails here, early and
// named, instead of as a generic iPXE timeout minutes later.

import { isRigError, RigError } from '../core/errors.ts';
import { escapeRegExp } from '../core/escape-regexp.ts';
import { poll } from '../core/poll.ts';
import type { BootBench } from './bench.ts';

/** A literal as a pattern that also matches it broken across lines anywhere (an 80-column wrap). */
export function wrapping(literal: string): string {
  return [...literal].map(escapeRegExp).join('(?:\\r?\\n)?');
}

/**
 * iPXE's error lines end with their ipxe.org code: "… Connection timed out (https://ipxe.org/4c0a6035)".
 * On an apu2's serial console SeaBIOS mirrors an 80-column screen, so a long line wraps anywhere,
 * also inside the code: "… No such file or directory (http://ipxe.org/2d0\r\nc613b)" (the twin).
 */
export const IPXE_ERROR = new RegExp(
  `[^\\r\\n]*${wrapping('(http')}(?:\\r?\\n)?s?${wrapping('://ipxe.org/')}(?:(?:\\r?\\n)?[0-9a-f]){8}(?:\\r?\\n)?\\)`,
);

export interface ScriptFetchWait {
  /** The URL typed after `chain`. */
  url: string;
  /** Entries of the server's log before `chain` was typed (older fetches do not count). */
  since: number;
  withinMs: number;
}

/** Returns the console text seen while waiting; throws PXE_NOT_FETCHED if the board never asked. */
export async function waitForScriptFetch(s: BootBench, w: ScriptFetchWait): Promise<string> {
  const server = s.bootServer;
  if (!server) throw new Error('waitForScriptFetch: the session serves no boot');
  // The chained file: the multiboot script (/boot.ipxe), or GRUB EFI on a UEFI board.
  const { host: hostPort, pathname: path } = new URL(w.url);
  const notFetched = (why: string) =>
    new RigError(`the board did not fetch ${path.slice(1)} from ${w.url}${why}: check that it can reach ${hostPort}`, {
      code: 'PXE_NOT_FETCHED',
      phase: 'ipxe',
      consoleTail: s.console.tail(10),
    });
  let seen = '';
  return poll(`wait for the board to fetch ${w.url}`, { withinMs: w.withinMs }, async (tries) => {
    const deadline = Date.now() + w.withinMs;
    while (!server.log.fetched(path, w.since)) {
      if (Date.now() >= deadline) throw notFetched(` within ${Math.round(w.withinMs / 1000)} s`);
      tries.next();
      // Meanwhile the console is watched: iPXE giving up ends the wait at once, with its words.
      try {
        const m = await s.console.expect(IPXE_ERROR, { timeout: 250, name: 'iPXE chain error' });
        seen += m.before + m.text;
        throw notFetched(` (iPXE: ${m.text.trim()})`);
      } catch (e) {
        if (!isRigError(e, 'CONSOLE_TIMEOUT')) throw e;
        tries.refused('not fetched yet');
      }
    }
    return seen;
  });
}
