import type { Metric } from '../../api/mlflow';
import type { MetricHistoryStore, MetricSeries } from '../metric-history';
import type { PgDb } from './pg-db';

const POINT_BYTES = 24; // step, timestamp, value as float64 little-endian

/**
 * Metric histories in PostgreSQL: each append stores one row per key holding that batch's points
 * packed as float64 triples, so a 1,000-point batch is a handful of rows and a read concatenates a
 * few chunks instead of parsing a row per point. Appends to one run from this process are
 * serialised so they land in the order they were issued.
 */
export class PgMetricHistoryStore implements MetricHistoryStore {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly db: PgDb) {}

  async append(runId: string, points: Metric[]): Promise<void> {
    if (points.length === 0) return;
    const previous = this.chains.get(runId) ?? Promise.resolve();
    const work = previous.then(() => this.write(runId, points));
    const tail = work.catch(() => {});
    this.chains.set(runId, tail);
    void tail.then(() => {
      if (this.chains.get(runId) === tail) this.chains.delete(runId);
    });
    return work;
  }

  async read(runId: string, key: string): Promise<MetricSeries> {
    await this.chains.get(runId);
    const rows = await this.db.query<{ n: number; points: Buffer }>('SELECT n, points FROM metric_chunks WHERE run_uuid = $1 AND key = $2 ORDER BY id', [runId, key]);
    const total = rows.reduce((s, r) => s + r.n, 0);
    const out: MetricSeries = { step: new Float64Array(total), timestamp: new Float64Array(total), value: new Float64Array(total) };
    let i = 0;
    for (const r of rows) {
      for (let off = 0; off + POINT_BYTES <= r.points.length; off += POINT_BYTES, i++) {
        out.step[i] = r.points.readDoubleLE(off);
        out.timestamp[i] = r.points.readDoubleLE(off + 8);
        out.value[i] = r.points.readDoubleLE(off + 16);
      }
    }
    return out;
  }

  async keys(runId: string): Promise<string[]> {
    await this.chains.get(runId);
    const rows = await this.db.query<{ key: string }>('SELECT key FROM metric_chunks WHERE run_uuid = $1 GROUP BY key ORDER BY min(id)', [runId]);
    return rows.map((r) => r.key);
  }

  /** How many points each key of a run holds (what `cairn sync` compares before appending). */
  async counts(runId: string): Promise<Record<string, number>> {
    await this.chains.get(runId);
    const rows = await this.db.query<{ key: string; n: number }>('SELECT key, sum(n) AS n FROM metric_chunks WHERE run_uuid = $1 GROUP BY key', [runId]);
    return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
  }

  async close(): Promise<void> {
    await Promise.all(this.chains.values());
  }

  private async write(runId: string, points: Metric[]): Promise<void> {
    const byKey = new Map<string, Metric[]>();
    for (const p of points) {
      let list = byKey.get(p.key);
      if (!list) byKey.set(p.key, (list = []));
      list.push(p);
    }
    const keys: string[] = [];
    const counts: number[] = [];
    const blobs: string[] = [];
    for (const [key, list] of byKey) {
      const buf = Buffer.allocUnsafe(list.length * POINT_BYTES);
      list.forEach((p, i) => {
        buf.writeDoubleLE(p.step, i * POINT_BYTES);
        buf.writeDoubleLE(p.timestamp, i * POINT_BYTES + 8);
        buf.writeDoubleLE(p.value, i * POINT_BYTES + 16);
      });
      keys.push(key);
      counts.push(list.length);
      blobs.push(`\\x${buf.toString('hex')}`);
    }
    await this.db.query(
      'INSERT INTO metric_chunks (run_uuid, key, n, points) SELECT $1, k, n, p FROM unnest($2::text[], $3::int[], $4::bytea[]) WITH ORDINALITY AS x(k, n, p, i) ORDER BY i',
      [runId, keys, counts, blobs],
    );
  }
}
