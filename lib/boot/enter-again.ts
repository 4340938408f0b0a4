// A lost Enter on the serial line. iPXE answers a `chain` line at once with the URL it fetches,
// "http://…/boot.ipxe..." (then "ok" or its error), and `dhcp` with "Configuring (net0 …)". When
// none of that comes, the Enter never arrived and the typed line still sits in iPXE's editor (seen
// on the twin under load: the run waited out the whole ipxe timeout, PXE_NOT_FETCHED). Enter again
// runs it. If iPXE was only slow, the extra Enter is an empty line it ignores.
import { progress } from '../core/progress.ts';
import { sleep } from '../core/time.ts';
import type { BootBench } from './bench.ts';

/** How long iPXE gets to answer a line before its Enter counts as lost (at most a quarter of the stage's wait). */
const ANSWER_MS = 15_000;
const POLL_MS = 250;

/**
 * After a line was typed with its Enter: waits for `answer` on the console (read from its tail,
 * so the caller still sees every line) or for `done()`, and presses Enter once more if neither
 * came in time.
 */
export async function enterAgainIfIgnored(
  s: BootBench,
  what: string,
  answer: RegExp,
  done: () => boolean = () => false,
): Promise<void> {
  const withinMs = Math.min(ANSWER_MS, s.rig.boot.timeoutsMs.ipxe / 4);
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (done() || answer.test(s.console.tail(6))) return;
    await sleep(POLL_MS);
  }
  if (done() || answer.test(s.console.tail(6))) return;
  progress.emit(
    'warn',
    `iPXE did not answer "${what}" within ${Math.round(withinMs / 1000)} s: its Enter was lost, pressed again`,
  );
  await s.console.sendSlowly('\n');
}
