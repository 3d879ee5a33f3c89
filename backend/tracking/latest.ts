/** MLflow's rule for a run's latest metric value: higher step, then later timestamp, then larger value (NaN lowest). */
export function isNewerMetric(a: { step: number; timestamp: number; value: number }, b: { step: number; timestamp: number; value: number }): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  const av = Number.isNaN(a.value) ? -Infinity : a.value;
  const bv = Number.isNaN(b.value) ? -Infinity : b.value;
  return av > bv;
}
