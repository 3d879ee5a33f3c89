/** Request latencies over a sliding window, for req/s and p50/p99. */
export class LatencyStats {
  private readonly times: number[] = [];
  private readonly latencies: number[] = [];
  requests = 0;
  errors = 0;

  constructor(private readonly windowMs = 60_000, private readonly maxSamples = 20_000) {}

  record(latencyMs: number, ok: boolean, now = Date.now()): void {
    this.requests++;
    if (!ok) this.errors++;
    this.times.push(now);
    this.latencies.push(latencyMs);
    if (this.times.length > this.maxSamples) {
      this.times.splice(0, this.times.length - this.maxSamples);
      this.latencies.splice(0, this.latencies.length - this.maxSamples);
    }
  }

  snapshot(now = Date.now()): { req_per_s: number; p50_ms: number; p99_ms: number } {
    let i = 0;
    while (i < this.times.length && this.times[i]! < now - this.windowMs) i++;
    if (i > 0) {
      this.times.splice(0, i);
      this.latencies.splice(0, i);
    }
    if (this.times.length === 0) return { req_per_s: 0, p50_ms: 0, p99_ms: 0 };
    const span = Math.max(1000, now - this.times[0]!);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const q = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
    return { req_per_s: round((this.times.length * 1000) / span), p50_ms: q(0.5), p99_ms: q(0.99) };
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
