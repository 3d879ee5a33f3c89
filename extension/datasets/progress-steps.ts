/** Turns the engine's absolute progress (done of total) into VS Code's increments. Pure. */
import type { Progress } from '../../backend/data/progress';
import { formatBytes } from './dataset-presentation';

export interface ProgressStep {
  message: string;
  /** Percent to add to the bar since the previous step (VS Code's progress is incremental). */
  increment: number;
}

export class ProgressSteps {
  private percent = 0;
  private phase = '';

  next(p: Progress): ProgressStep {
    if (p.phase !== this.phase) {
      // A new phase starts its own bar from zero; VS Code cannot go back, so restart the count.
      this.phase = p.phase;
      this.percent = 0;
    }
    const ratio = p.totalBytes ? (p.bytes ?? 0) / p.totalBytes : p.total ? p.done / p.total : 0;
    const now = Math.max(this.percent, Math.min(100, Math.floor(ratio * 100)));
    const increment = now - this.percent;
    this.percent = now;
    const bytes = p.totalBytes ? ` · ${formatBytes(p.bytes ?? 0)} of ${formatBytes(p.totalBytes)}` : p.bytes ? ` · ${formatBytes(p.bytes)}` : '';
    return { message: `${p.phase}: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}${bytes}`, increment };
  }
}
