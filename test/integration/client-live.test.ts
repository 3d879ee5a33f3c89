// The typed client's additions and its SSE subscription against a real server process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveredEvent } from '../../backend/api/cairn';
import { CairnClient } from '../../backend/client/cairn-client';
import { EventStream } from '../../backend/client/event-stream';
import { startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();

async function until<T>(what: string, fn: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('client: experiments, paged run search, tags, delete/restore, artifacts', async () => {
  const s = await startServerProcess(dir);
  try {
    const c = s.client;
    const exp = await c.ensureExperiment('client');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await c.createRun({ experimentId: exp, runName: `r${i}`, startTime: 1000 + i })).info.run_id);
    const all = await c.searchAllRuns({ experiment_ids: [exp], order_by: ['attributes.start_time DESC'] }, 3);
    assert.deepEqual(all.map((r) => r.info.run_name), ['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0'], 'three pages, in order');
    assert.ok((await c.searchExperiments()).some((e) => e.experiment_id === exp));
    await c.setTag(ids[0]!, 'k', 'v');
    assert.equal((await c.getRun(ids[0]!)).data.tags.find((t) => t.key === 'k')?.value, 'v');
    await c.deleteTag(ids[0]!, 'k');
    assert.equal((await c.getRun(ids[0]!)).data.tags.find((t) => t.key === 'k'), undefined);
    await c.deleteRun(ids[1]!);
    assert.equal((await c.getRun(ids[1]!)).info.lifecycle_stage, 'deleted');
    await c.restoreRun(ids[1]!);
    const run = await c.getRun(ids[2]!);
    await c.uploadArtifact(run.info, 'dir/a.txt', 'hello');
    assert.deepEqual((await c.listArtifacts(ids[2]!, 'dir')).map((f) => f.path), ['dir/a.txt']);
    assert.equal(new TextDecoder().decode(await c.downloadArtifact(run.info, 'dir/a.txt')), 'hello');
    assert.equal(await c.downloadArtifact(run.info, 'missing.txt'), undefined);
    await assert.rejects(new CairnClient({ url: s.url, token: 'wrong' }).searchExperiments(), /UNAUTHENTICATED/);
  } finally {
    await s.stop();
  }
});

test('event stream: receives changes live and resumes after a server restart', async () => {
  let s = await startServerProcess(dir);
  const events: DeliveredEvent[] = [];
  const states: string[] = [];
  const stream = new EventStream(new CairnClient({ url: s.url, token: s.token }), { onEvent: (e) => events.push(e), onState: (st) => states.push(st), maxBackoffMs: 300 }).start();
  try {
    await until('open', () => states.includes('open'));
    const exp = await s.client.ensureExperiment('live');
    const run = await s.client.createRun({ experimentId: exp });
    await s.client.logBatch(run.info.run_id, { metrics: [{ key: 'loss', value: 0.5, step: 1, timestamp: 1 }] });
    await until('run.created + metrics.appended', () => events.some((e) => e.type === 'metrics.appended' && e.runId === run.info.run_id));
    assert.ok(events.some((e) => e.type === 'run.created' && e.runId === run.info.run_id));
    const m = events.find((e) => e.type === 'metrics.appended')!;
    assert.deepEqual(m.type === 'metrics.appended' && m.latest.map((l) => [l.key, l.value]), [['loss', 0.5]]);

    // Restart on the same port and token: the stream reconnects by itself.
    await s.stop();
    s = await startServerProcess(dir);
    const opens = () => states.filter((x) => x === 'open').length;
    await until('reopened', () => opens() >= 2, 15_000);
    await s.client.updateRun(run.info.run_id, { status: 'FINISHED', endTime: 2 });
    await until('run.updated after the restart', () => events.some((e) => e.type === 'run.updated' && e.status === 'FINISHED'));
  } finally {
    stream.stop();
    await s.stop();
  }
});
