import { formatBytes as formatBytesIn } from '../core/format-bytes';
import type { Progress, ProgressFn } from '../data/progress';

/** Byte counts in CLI output: two decimals below 10 of a unit. */
export const formatBytes = (n: number): string => formatBytesIn(n, 2);

/**
 * Draws progress on stderr: one line rewritten in place on a terminal, a line every few seconds
 * otherwise (CI logs, the extension's output channel). `done()` ends the line.
 */
export function progressLine(stream: NodeJS.WriteStream = process.stderr): { update: ProgressFn; done: () => void } {
  const started = Date.now();
  let last = 0;
  let drawn = false;
  const render = (p: Progress) => {
    const secs = (Date.now() - started) / 1000;
    const parts = [`${p.phase}: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}`];
    if (p.bytes !== undefined) parts.push(p.totalBytes ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}` : formatBytes(p.bytes));
    if (p.bytes && secs > 0.5) parts.push(`${formatBytes(p.bytes / secs)}/s`);
    return parts.join(', ');
  };
  return {
    update: (p) => {
      const now = Date.now();
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${render(p)}`);
        drawn = true;
      } else if (now - started > 2000 && (now - last > 3000 || (p.done >= p.total && p.total > 0))) {
        // Not a terminal: quiet for quick operations, a line every few seconds for long ones.
        stream.write(`${render(p)}\n`);
        last = now;
      }
    },
    done: () => {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
