import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { DurableDb, journalDir, snapshotFile } from '../../backend/store/sqljs/durable-db';
import { listSegments } from '../../backend/store/sqljs/journal';
import { loadSqlJs } from '../../backend/store/sqljs/sqljs-loader';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir();

async function open(dir: string, segmentBytes?: number) {
  const db = await DurableDb.open({ dir, fsync: false, segmentBytes });
  if (!db.get("SELECT name FROM sqlite_master WHERE name = 'kv'")) await db.write((tx) => tx.run('CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)'));
  return db;
}
const count = (db: DurableDb) => Number(db.get<{ n: number }>('SELECT count(*) AS n FROM kv')!.n);

it('recovers every acknowledged transaction from the journal without a clean close', async () => {
  const dir = path.join(root, 'crash');
  const db = await open(dir);
  for (let i = 0; i < 200; i++) await db.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', [`k${i}`, `v${i}`]));
  // No close(): as after kill -9, only the journal holds these writes.
  assert.equal(fs.existsSync(snapshotFile(dir)), false);
  const again = await open(dir);
  assert.equal(count(again), 200);
  assert.equal(again.stats.replayedAtOpen, 201);
  await again.close();
});

it('rolls back a transaction that throws and journals nothing of it', async () => {
  const dir = path.join(root, 'rollback');
  const db = await open(dir);
  await assert.rejects(db.write((tx) => {
    tx.run('INSERT INTO kv VALUES (?, ?)', ['a', '1']);
    throw new Error('boom');
  }), /boom/);
  assert.equal(count(db), 0);
  const again = await open(dir);
  assert.equal(count(again), 0);
  await again.close();
});

it('drops a torn record at the end of the journal and keeps the rest', async () => {
  const dir = path.join(root, 'torn');
  const db = await open(dir);
  for (let i = 0; i < 10; i++) await db.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', [`k${i}`, 'v']));
  const seg = listSegments(journalDir(dir)).pop()!;
  fs.appendFileSync(seg, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));
  const again = await open(dir);
  assert.equal(count(again), 10);
  await again.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', ['after', 'v']));
  const third = await open(dir);
  assert.equal(count(third), 11);
  await third.close();
});

it('checkpoints in a worker: snapshot written atomically, sealed segments removed, nothing lost', async () => {
  const dir = path.join(root, 'checkpoint');
  const db = await open(dir, 4096);
  const writes = [];
  for (let i = 0; i < 500; i++) writes.push(db.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', [`k${i}`, 'x'.repeat(50)])));
  await Promise.all(writes);
  await db.checkpoint();
  assert.ok(db.stats.checkpoints >= 1, 'a checkpoint ran');
  assert.ok(fs.existsSync(snapshotFile(dir)));
  assert.ok(listSegments(journalDir(dir)).length <= 2, 'sealed segments were folded into the snapshot');
  for (let i = 500; i < 510; i++) await db.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', [`k${i}`, 'y']));
  // A second checkpoint takes the worker's incremental path (its copy, plus the new records).
  await db.checkpoint();
  assert.ok(db.stats.checkpoints >= 2);
  const SQL = await loadSqlJs();
  const snap = new SQL.Database(fs.readFileSync(snapshotFile(dir)));
  assert.equal(snap.exec('SELECT count(*) FROM kv')[0]!.values[0]![0], 510, 'the snapshot alone holds every write');
  snap.close();
  // Reopen without closing: snapshot + remaining journal.
  const again = await open(dir);
  assert.equal(count(again), 510);
  await again.close();
  assert.deepEqual(listSegments(journalDir(dir)), [], 'a clean close leaves an empty journal');
  const third = await open(dir);
  assert.equal(count(third), 510);
  await third.close();
});

it('journals statements with their exact parameters (unicode, nulls, large numbers)', async () => {
  const dir = path.join(root, 'params');
  const db = await open(dir);
  await db.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', ['ü—✓', null]));
  await db.write((tx) => tx.run('INSERT INTO kv VALUES (?, ?)', ['big', String(2 ** 53 - 1)]));
  const again = await open(dir);
  assert.deepEqual(again.all('SELECT k, v FROM kv ORDER BY k'), [{ k: 'big', v: String(2 ** 53 - 1) }, { k: 'ü—✓', v: null }]);
  await again.close();
});
