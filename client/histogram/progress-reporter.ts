// Batch progress on stderr: a redrawn bar on a terminal, one plain line per image otherwise.
import type { ImageResult } from './run-histogram.ts';
import { formatResultLine } from './print-result.ts';

export interface ProgressReporter {
  start(total: number): void;
  update(result: ImageResult, finished: number, total: number): void;
  retry(file: string, info: { attempt: number; waitMs: number; reason: string }): void;
  /** Clears the bar so the summary starts on a clean line. */
  finish(): void;
}

/** A reporter writing to `stream`; `tty` chooses the bar (default: the stream's own isTTY). */
export function createProgressReporter(stream: NodeJS.WriteStream, tty: boolean = stream.isTTY === true): ProgressReporter {
  let failed = 0;
  let started = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\u001b[2K');
    drawn = false;
  };
  const draw = (finished: number, total: number) => {
    const columns = stream.columns || 80;
    const rate = finished / Math.max((performance.now() - started) / 1000, 1e-3);
    const text = ` ${finished}/${total}${failed ? `  ${failed} failed` : ''}  ${rate.toFixed(1)}/s`;
    const barWidth = Math.max(10, Math.min(40, columns - text.length - 3));
    const full = Math.round((finished / Math.max(total, 1)) * barWidth);
    stream.write(`\r\u001b[2K[${'█'.repeat(full)}${'░'.repeat(barWidth - full)}]${text}`);
    drawn = true;
  };
  return {
    start(total) {
      started = performance.now();
      if (tty && total > 1) draw(0, total);
    },
    update(result, finished, total) {
      if (!result.ok) failed++;
      if (!tty) stream.write(`${formatResultLine(result)}\n`);
      else if (total > 1) {
        // Failures scroll above the bar so they stay visible while it keeps moving.
        if (!result.ok) {
          clear();
          stream.write(`${formatResultLine(result)}\n`);
        }
        draw(finished, total);
      }
    },
    retry(file, info) {
      clear();
      stream.write(`retry ${info.attempt} for ${file} in ${(info.waitMs / 1000).toFixed(1)} s: ${info.reason}\n`);
    },
    finish() {
      clear();
    },
  };
}
