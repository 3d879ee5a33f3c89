/** Progress of a long data operation, reported as it goes (the CLI draws it; the extension can too). */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  bytes?: number;
  totalBytes?: number;
}

export type ProgressFn = (p: Progress) => void;

/** Calls `fn` at most every `intervalMs` (and always for the final update). */
export function throttled(fn: ProgressFn | undefined, intervalMs = 200): ProgressFn {
  let last = 0;
  return (p) => {
    if (!fn) return;
    const now = Date.now();
    if (p.done >= p.total || now - last >= intervalMs) {
      last = now;
      fn(p);
    }
  };
}

/** Lets timers and I/O callbacks run during a long synchronous loop. */
export const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));
