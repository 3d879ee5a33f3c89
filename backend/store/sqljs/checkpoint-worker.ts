/**
 * Checkpoints off the main thread. The worker keeps its own copy of the database: the first
 * checkpoint loads the snapshot; each one then applies the sealed journal segments' new records
 * (the same replay code as start-up recovery) and writes a new snapshot atomically. The server's
 * in-memory database is never exported, so persistence work cannot stall requests.
 */
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Database } from 'sql.js';
import { readSegment } from './journal';
import { applyRecord, recover, writeSnapshot } from './recovery';
import { loadSqlJs } from './sqljs-loader';

export interface CheckpointRequest {
  id: number;
  snapshotFile: string;
  segments: string[];
}
export type CheckpointReply = { id: number; ok: true; seq: number; bytes: number; ms: number } | { id: number; ok: false; error: string };

let copy: { db: Database; seq: number; snapshotFile: string } | undefined;

async function checkpoint(req: CheckpointRequest): Promise<{ seq: number; bytes: number }> {
  if (!copy || copy.snapshotFile !== req.snapshotFile) {
    copy?.db.close();
    const SQL = await loadSqlJs();
    const { db, seq } = recover(SQL, req.snapshotFile, req.segments, false);
    copy = { db, seq, snapshotFile: req.snapshotFile };
  } else {
    const cache = new Map();
    for (const file of req.segments) {
      for (const rec of readSegment(file).records) {
        if (rec.seq <= copy.seq) continue;
        if (rec.seq !== copy.seq + 1) throw new Error(`journal gap: expected seq ${copy.seq + 1}, found ${rec.seq} in ${file}`);
        applyRecord(copy.db, rec, cache);
        copy.seq = rec.seq;
      }
    }
    cache.forEach((stmt) => stmt.free());
  }
  writeSnapshot(copy.db, req.snapshotFile, copy.seq);
  return { seq: copy.seq, bytes: fs.statSync(req.snapshotFile).size };
}

parentPort?.on('message', async (req: CheckpointRequest) => {
  const t0 = Date.now();
  try {
    const { seq, bytes } = await checkpoint(req);
    parentPort!.postMessage({ id: req.id, ok: true, seq, bytes, ms: Date.now() - t0 } satisfies CheckpointReply);
  } catch (err) {
    // Start over from the snapshot next time: the copy may be half-updated.
    copy?.db.close();
    copy = undefined;
    parentPort!.postMessage({ id: req.id, ok: false, error: (err as Error).stack ?? String(err) } satisfies CheckpointReply);
  }
});
