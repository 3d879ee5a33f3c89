/**
 * Checkpoints off the main thread: rebuild the database from the last snapshot plus the sealed
 * journal segments (the same code as start-up recovery, so recovery runs on every checkpoint), then
 * write a new snapshot atomically. The server's own in-memory database is never exported, so
 * persistence work cannot stall requests.
 */
import { parentPort } from 'node:worker_threads';
import { loadSqlJs } from './sqljs-loader';
import { recover, writeSnapshot } from './recovery';

export interface CheckpointRequest {
  id: number;
  snapshotFile: string;
  segments: string[];
}
export type CheckpointReply = { id: number; ok: true; seq: number; bytes: number; ms: number } | { id: number; ok: false; error: string };

parentPort?.on('message', async (req: CheckpointRequest) => {
  const t0 = Date.now();
  try {
    const SQL = await loadSqlJs();
    const { db, seq } = recover(SQL, req.snapshotFile, req.segments, false);
    try {
      writeSnapshot(db, req.snapshotFile, seq);
    } finally {
      db.close();
    }
    const bytes = (await import('node:fs')).statSync(req.snapshotFile).size;
    parentPort!.postMessage({ id: req.id, ok: true, seq, bytes, ms: Date.now() - t0 } satisfies CheckpointReply);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, ok: false, error: (err as Error).stack ?? String(err) } satisfies CheckpointReply);
  }
});
