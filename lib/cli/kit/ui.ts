// Renders progress events: a live status line (stage, elapsed) in a TTY, plain timestamped
// lines in CI or a pipe. The live line's clock ticks every second, also while a step waits
// silently (a boot, an iperf3 run). Everything shown passes through redact().
import { terminal } from '../../core/color.ts';
import { progress } from '../../core/progress.ts';
import { redact } from '../../core/redact.ts';

export function attachProgressUi(
  stream: NodeJS.WriteStream = process.stderr,
  tickMs = 1000,
  env: Record<string, string | undefined> = process.env,
): () => void {
  const t0 = Date.now();
  // TERM=dumb: plain lines, no redrawn status line; NO_COLOR: redrawn, but not dimmed.
  const { redraw: live, color } = terminal(stream, env);
  const [dim, reset] = color ? ['\x1b[2m', '\x1b[0m'] : ['', ''];
  let stage = '';
  let last = '';
  const elapsed = () =>
    `${Math.floor((Date.now() - t0) / 1000)
      .toString()
      .padStart(4)}s`;
  const line = (s: string) => {
    if (live) stream.write(`\r\x1b[2K${s}\n`);
    else stream.write(`${s}\n`);
    if (live) status(last);
  };
  function status(s: string): void {
    last = s;
    if (live)
      stream.write(
        `\r\x1b[2K${dim}[${elapsed()}] ${stage ? `${stage}: ` : ''}${redact(s).slice(0, (stream.columns ?? 100) - 20)}${reset}`,
      );
  }
  const tick = live ? setInterval(() => status(last), tickMs) : undefined;
  tick?.unref();
  const onStage = (s: string) => {
    stage = s;
    last = '';
    line(`[${elapsed()}] == ${s}`);
  };
  const onStep = (s: string) => status(s);
  const onWork = (label: string, done: number, total: number) =>
    status(total ? `${label} ${Math.floor((100 * done) / total)}%` : `${label} ${(done / 1048576).toFixed(1)} MiB`);
  const onInfo = (m: string) => line(`[${elapsed()}] ${redact(m)}`);
  const onWarn = (m: string) => line(`[${elapsed()}] warning: ${redact(m)}`);
  progress.on('stage', onStage).on('step', onStep).on('work', onWork).on('info', onInfo).on('warn', onWarn);
  return () => {
    clearInterval(tick);
    progress.off('stage', onStage).off('step', onStep).off('work', onWork).off('info', onInfo).off('warn', onWarn);
    if (live) stream.write('\r\x1b[2K');
  };
}
