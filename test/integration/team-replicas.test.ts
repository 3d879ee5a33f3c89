import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WhoAmI } from '../../backend/api/team';
import { BackendError } from '../../backend/client/cairn-client';
import { waitFor } from '../helpers/load';
import { pgTestDatabase } from '../helpers/pg';
import { openEventStream } from '../helpers/sse';
import { addUser, cairn, startTeamServer, type TeamServer } from '../helpers/team-server';

const db = pgTestDatabase();
const schema = 'replicas';
let a: TeamServer;
let b: TeamServer;
let dbUrl: string;
let token: string;

describe('two replicas on one database', () => {
  before(async () => {
    dbUrl = await db.ready();
    token = await addUser(dbUrl, schema, 'ann', 'writer');
    [a, b] = await Promise.all([startTeamServer({ db: dbUrl, schema }), startTeamServer({ db: dbUrl, schema })]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    for (const s of [a, b]) if (s && /internal error/.test(s.stderr())) throw new Error(`a replica logged internal errors:\n${s.stderr()}`);
  });

  it('serves writes made through one replica from the other, and streams them live over SSE', async () => {
    const viaA = a.client(token);
    const viaB = b.client(token);
    const stream = await openEventStream(b.url, viaB.headers(), '?types=run.created,metrics.appended,run.data,run.updated,model.updated');
    try {
      const exp = await viaA.createExperiment('shared');
      const run = await viaA.createRun({ experimentId: exp, runName: 'from-a' });
      const created = await stream.waitFor((e) => e.type === 'run.created' && e.runId === run.info.run_id);
      assert.equal(created.type === 'run.created' && created.experimentId, exp);
      await viaA.logBatch(run.info.run_id, { metrics: Array.from({ length: 50 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: i, step: i })) });
      const appended = await stream.waitFor((e) => e.type === 'metrics.appended' && e.runId === run.info.run_id);
      assert.equal(appended.type === 'metrics.appended' && appended.points, 50);
      // Read back through the other replica: the stores are shared, nothing is cached per replica.
      assert.equal((await viaB.getRun(run.info.run_id)).data.metrics[0]?.step, 49);
      assert.equal((await viaB.metricHistory(run.info.run_id, 'loss')).length, 50);
      // An event too large for one NOTIFY payload still arrives (it travels through a table).
      const keys = Array.from({ length: 400 }, (_, i) => ({ key: `a-rather-long-metric-name-number-${i}`, value: i, timestamp: 1, step: 1 }));
      await viaA.logBatch(run.info.run_id, { metrics: keys });
      const big = await stream.waitFor((e) => e.type === 'metrics.appended' && e.points === 400);
      assert.equal(big.type === 'metrics.appended' && big.latest.length, 400);
      // And the other direction.
      await viaB.updateRun(run.info.run_id, { status: 'FINISHED', endTime: 99 });
      const streamA = await openEventStream(a.url, viaA.headers(), '?types=model.updated');
      try {
        await viaB.mlflow('POST', 'registered-models/create', { name: 'from-b' });
        await streamA.waitFor((e) => e.type === 'model.updated' && e.name === 'from-b');
      } finally {
        await streamA.close();
      }
      assert.equal((await viaA.getRun(run.info.run_id)).info.status, 'FINISHED');
      const types = stream.events.map((e) => e.type);
      assert.equal(types.filter((t) => t === 'run.created').length, 1, 'each event is delivered once per stream');
    } finally {
      await stream.close();
    }
  });

  it('takes ingest from clients of both replicas into the same runs', async () => {
    const exp = await a.client(token).createExperiment('concurrent');
    const runs = await Promise.all([a, b].map((s, i) => s.client(token).createRun({ experimentId: exp, runName: `r${i}` })));
    await Promise.all(
      [a, b].flatMap((s) =>
        runs.map((r) => s.client(token).logBatch(r.info.run_id, { metrics: Array.from({ length: 100 }, (_, i) => ({ key: `m-${s.url.slice(-5)}`, value: i, timestamp: i, step: i })) })),
      ),
    );
    for (const r of runs) {
      const run = await b.client(token).getRun(r.info.run_id);
      assert.equal(run.data.metrics.length, 2, 'one key per replica');
    }
    const found = await a.client(token).searchRuns({ experiment_ids: [exp], order_by: ['attributes.run_name ASC'] });
    assert.deepEqual(found.runs.map((r) => r.info.run_name), ['r0', 'r1']);
    // A run's live output posted to one replica is the tail every replica answers with.
    const tailOf = async (s: TeamServer) => (await s.client(token).logTail(runs[0]!.info.run_id)).lines.join('|');
    await a.client(token).postLogTail(runs[0]!.info.run_id, ['epoch 1', 'epoch 2']);
    await waitFor('the tail on the other replica', async () => ((await tailOf(b)) === 'epoch 1|epoch 2' ? true : undefined), 10_000);
    await b.client(token).postLogTail(runs[0]!.info.run_id, ['epoch 3']);
    await waitFor('the tail on both replicas', async () => ((await tailOf(a)) === 'epoch 1|epoch 2|epoch 3' && (await tailOf(b)) === 'epoch 1|epoch 2|epoch 3' ? true : undefined), 10_000);
  });

  it('rejects a revoked token on every replica at once', async () => {
    const made = await cairn(['tokens', 'create', 'ann', '--db', dbUrl, '--db-schema', schema]);
    const extra = /: (cairn_\S+)/.exec(made.stdout)![1]!;
    for (const s of [a, b]) assert.equal((await s.client(extra).call<WhoAmI>('GET', '/api/cairn/v1/whoami')).user, 'ann');
    assert.equal((await cairn(['tokens', 'revoke', extra, '--db', dbUrl, '--db-schema', schema])).code, 0);
    for (const s of [a, b]) {
      await assert.rejects(s.client(extra).call('GET', '/api/cairn/v1/whoami'), (err) => BackendError.is(err, 'UNAUTHENTICATED'));
    }
  });
});
