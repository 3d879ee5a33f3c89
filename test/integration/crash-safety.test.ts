import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CairnClient } from '../../backend/client/cairn-client';
import { startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const ROUNDS = 8;
const CLIENTS = 4;
const storeDir = tmpDir();

interface Acked {
  runId: string;
  steps: number[];
  params: string[];
  tags: string[];
}

/** One client logging batches as fast as it can, remembering what the server acknowledged. */
async function logUntilDead(client: CairnClient, runId: string, acked: Acked): Promise<void> {
  for (let n = 0; ; n++) {
    const steps = Array.from({ length: 50 }, (_, i) => n * 50 + i);
    try {
      await client.logBatch(runId, {
        metrics: steps.map((s) => ({ key: 'loss', value: s / 7, timestamp: 1_700_000_000_000 + s, step: s })),
        params: [{ key: `p${n}`, value: String(n) }],
        tags: [{ key: `t${n}`, value: `v${n}` }],
      });
    } catch {
      return; // the server died mid-request: this batch was not acknowledged
    }
    acked.steps.push(...steps);
    acked.params.push(`p${n}`);
    acked.tags.push(`t${n}`);
  }
}

it(`keeps every acknowledged metric, param and tag across ${ROUNDS} SIGKILLs at random moments`, async () => {
  const all: Acked[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const server = await startServerProcess(storeDir);
    const client = new CairnClient({ url: server.url, token: server.token, timeoutMs: 5000 });
    // Everything acknowledged in earlier rounds is still there after the restart.
    for (const a of all) await verify(client, a);
    const exp = await client.ensureExperiment(`crash-${round}`);
    const acked: Acked[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const run = await client.createRun({ experimentId: exp, runName: `round${round}-client${c}` });
      acked.push({ runId: run.info.run_id, steps: [], params: [], tags: [] });
    }
    const logging = acked.map((a) => logUntilDead(client, a.runId, a));
    // Kill at a random moment once every client is writing (a loaded machine may be slow to start).
    while (acked.some((a) => a.steps.length === 0)) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, Math.random() * 400));
    await server.kill();
    await Promise.all(logging);
    assert.ok(acked.some((a) => a.steps.length > 0), 'some writes were acknowledged before the kill');
    all.push(...acked);
  }
  const server = await startServerProcess(storeDir);
  const client = new CairnClient({ url: server.url, token: server.token });
  for (const a of all) await verify(client, a);
  await server.stop();
});

async function verify(client: CairnClient, a: Acked): Promise<void> {
  const run = await client.getRun(a.runId);
  const params = new Set(run.data.params.map((p) => p.key));
  const tags = new Set(run.data.tags.map((t) => t.key));
  for (const p of a.params) assert.ok(params.has(p), `acknowledged param ${p} of run ${a.runId} survived`);
  for (const t of a.tags) assert.ok(tags.has(t), `acknowledged tag ${t} of run ${a.runId} survived`);
  const history = new Set((await client.metricHistory(a.runId, 'loss')).map((m) => m.step));
  const lost = a.steps.filter((s) => !history.has(s));
  assert.deepEqual(lost, [], `acknowledged metric steps of run ${a.runId} survived`);
  if (a.steps.length > 0) {
    const latest = run.data.metrics.find((m) => m.key === 'loss');
    assert.ok(latest && latest.step >= Math.max(...a.steps), 'the latest-metric summary covers every acknowledged step');
  }
}
