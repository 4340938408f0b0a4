// Renders progress events: a live status line (stage, elapsed) in a TTY, plain timestamped
// lines in CI or a pipe. Everything shown passes through redact().
import { progress } from '../../core/progress.ts';
import { redact } from '../../core/redact.ts';

export function attachProgressUi(stream: NodeJS.WriteStream = process.stderr): () => void {
  const t0 = Date.now();
  const live = stream.isTTY && !process.env.CI;
  let stage = '';
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s`;
  const line = (s: string) => {
    if (live) stream.write(`\r\x1b[2K${s}\n`);
    else stream.write(`${s}\n`);
  };
  const status = (s: string) => {
    if (live)
      stream.write(
        `\r\x1b[2K\x1b[2m[${elapsed()}] ${stage ? `${stage}: ` : ''}${redact(s).slice(0, (stream.columns ?? 100) - 20)}\x1b[0m`,
      );
  };
  const onStage = (s: string) => {
    stage = s;
    line(`[${elapsed()}] == ${s}`);
  };
  const onStep = (s: string) => status(s);
  const onWork = (label: string, done: number, total: number) =>
    status(total ? `${label} ${Math.floor((100 * done) / total)}%` : `${label} ${(done / 1048576).toFixed(1)} MiB`);
  const onInfo = (m: string) => line(`[${elapsed()}] ${redact(m)}`);
  const onWarn = (m: string) => line(`[${elapsed()}] warning: ${redact(m)}`);
  progress.on('stage', onStage).on('step', onStep).on('work', onWork).on('info', onInfo).on('warn', onWarn);
  return () => {
    progress.off('stage', onStage).off('step', onStep).off('work', onWork).off('info', onInfo).off('warn', onWarn);
    if (live) stream.write('\r\x1b[2K');
  };
}
