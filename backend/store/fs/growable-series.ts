import type { MetricSeries } from '../metric-history';

/** Columns that grow by doubling, so a million appended points cost a handful of copies. */
export class GrowableSeries {
  private step = new Float64Array(64);
  private ts = new Float64Array(64);
  private value = new Float64Array(64);
  length = 0;

  push(step: number, ts: number, value: number): void {
    if (this.length === this.step.length) this.grow();
    this.step[this.length] = step;
    this.ts[this.length] = ts;
    this.value[this.length] = value;
    this.length++;
  }

  view(): MetricSeries {
    return { step: this.step.subarray(0, this.length), timestamp: this.ts.subarray(0, this.length), value: this.value.subarray(0, this.length) };
  }

  private grow(): void {
    const cap = this.step.length * 2;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.step = grow(this.step);
    this.ts = grow(this.ts);
    this.value = grow(this.value);
  }
}
