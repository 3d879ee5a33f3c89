/** Performance marks the UI bench reads: data arrived → first paint of what it shows. */
export function markDataArrived(name: string): void {
  performance.mark(`${name}:data`);
}

/**
 * Marks the first paint after `ready()` holds (checked once per frame, so rows a virtualizer adds
 * a frame later count): the frame after that is the one on screen.
 */
export function markPaintedWhen(name: string, ready: () => boolean, timeoutMs = 10_000): void {
  const started = performance.now();
  const check = () => {
    if (!ready() && performance.now() - started < timeoutMs) return requestAnimationFrame(check);
    requestAnimationFrame(() => {
      performance.mark(`${name}:painted`);
      try {
        performance.measure(`${name}:data-to-paint`, `${name}:data`, `${name}:painted`);
      } catch {
        // no data mark: nothing to measure
      }
    });
  };
  requestAnimationFrame(check);
}
