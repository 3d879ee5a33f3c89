/** Performance marks the UI bench reads: data arrived → first paint of what it shows. */
export function markDataArrived(name: string): void {
  performance.mark(`${name}:data`);
}

/** Marks the paint after the next render (two animation frames: after layout and paint). */
export function markPaintedAfter(name: string, rendered: Promise<unknown>): void {
  void rendered.then(() =>
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        performance.mark(`${name}:painted`);
        try {
          performance.measure(`${name}:data-to-paint`, `${name}:data`, `${name}:painted`);
        } catch {
          // no data mark (e.g. a re-render): nothing to measure
        }
      }),
    ),
  );
}
