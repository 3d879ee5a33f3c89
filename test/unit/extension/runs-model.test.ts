// The tree's model: lazy loading, and change events → only the affected nodes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveredEvent } from '../../../backend/api/cairn';
import type { Experiment, Run } from '../../../backend/api/mlflow';
import { orderComparator, RunsModel, type RunsSource } from '../../../extension/runs/runs-model';
import { fakeRun } from './fake-run';

/** An in-memory backend with the client's shape (filters: only `params.lr = 'x'` and run_id). */
class MemorySource implements RunsSource {
  experiments: Experiment[] = [{ experiment_id: '1', name: 'exp', artifact_location: '', lifecycle_stage: 'active', last_update_time: 0, creation_time: 0, tags: [] }];
  runs: Run[] = [];
  calls: string[] = [];
  async searchExperiments() {
    this.calls.push('searchExperiments');
    return this.experiments;
  }
  async searchRuns(req: { experiment_ids: string[]; filter?: string; run_view_type?: string; max_results?: number }) {
    this.calls.push(`searchRuns:${req.filter ?? ''}`);
    let runs = this.runs.filter((r) => req.experiment_ids.includes(r.info.experiment_id) && (req.run_view_type === 'ALL' || r.info.lifecycle_stage === 'active'));
    for (const m of (req.filter ?? '').matchAll(/(params\.lr|attributes\.run_id) = '([^']*)'/g)) {
      runs = runs.filter((r) => (m[1] === 'params.lr' ? r.data.params.find((p) => p.key === 'lr')?.value === m[2] : r.info.run_id === m[2]));
    }
    runs = [...runs].sort((a, b) => b.info.start_time - a.info.start_time);
    const max = req.max_results ?? 1000;
    return { runs: runs.slice(0, max), next_page_token: runs.length > max ? 'more' : undefined };
  }
  async getRun(id: string) {
    this.calls.push(`getRun:${id}`);
    const r = this.runs.find((x) => x.info.run_id === id);
    if (!r) throw new Error('no such run');
    return structuredClone(r);
  }
}

const ev = (e: Record<string, unknown>) => ({ id: 1, time: 0, ...e }) as unknown as DeliveredEvent;

test('experiments and runs load lazily, newest first, and are cached', async () => {
  const src = new MemorySource();
  src.runs = [fakeRun({ id: 'a', start: 1 }), fakeRun({ id: 'b', start: 2 })];
  const model = new RunsModel(() => src, () => 500);
  assert.equal((await model.listExperiments()).length, 1);
  assert.deepEqual((await model.listRuns('1')).runs.map((r) => r.info.run_id), ['b', 'a']);
  await model.listRuns('1');
  assert.equal(src.calls.filter((c) => c.startsWith('searchRuns')).length, 1, 'cached');
  const capped = new RunsModel(() => src, () => 1);
  assert.deepEqual(await capped.listRuns('1').then((x) => [x.runs.length, x.truncated]), [1, true]);
});

test('an empty store has no runs to show; its first run refreshes the root', async () => {
  const src = new MemorySource();
  const model = new RunsModel(() => src, () => 500);
  assert.equal(await model.hasAnyRun(), false);
  src.runs.push(fakeRun({ id: 'first' }));
  assert.deepEqual(await model.apply(ev({ type: 'run.created', runId: 'first', experimentId: '1' })), [{ kind: 'root' }]);
  assert.equal(await model.hasAnyRun(), true);
});

test('run.created inserts one run at the top and reports its experiment as changed', async () => {
  const src = new MemorySource();
  src.runs = [fakeRun({ id: 'a', start: 1 })];
  const model = new RunsModel(() => src, () => 500);
  await model.listExperiments();
  assert.equal(await model.hasAnyRun(), true);
  await model.listRuns('1');
  src.runs.push(fakeRun({ id: 'new', start: 5, status: 'RUNNING' }));
  assert.deepEqual(await model.apply(ev({ type: 'run.created', runId: 'new', experimentId: '1' })), [{ kind: 'experiment', experimentId: '1' }]);
  assert.deepEqual((await model.listRuns('1')).runs.map((r) => r.info.run_id), ['new', 'a']);
  assert.ok(!src.calls.slice(3).some((c) => c.startsWith('searchRuns')), 'no full reload, only getRun');
});

test('metrics.appended patches the run in place without any fetch; run.updated refetches one run', async () => {
  const src = new MemorySource();
  src.runs = [fakeRun({ id: 'a', metrics: { loss: 1 } })];
  const model = new RunsModel(() => src, () => 500);
  await model.listExperiments();
  const before = (await model.listRuns('1')).runs[0]!;
  const calls = src.calls.length;
  assert.deepEqual(await model.apply(ev({ type: 'metrics.appended', runId: 'a', experimentId: '1', points: 1, latest: [{ key: 'loss', value: 0.5, step: 1, timestamp: 1 }, { key: 'acc', value: 'NaN', step: 1, timestamp: 1 }] })), [{ kind: 'run', runId: 'a' }]);
  assert.equal(src.calls.length, calls, 'no request');
  assert.equal(before.data.metrics.find((m) => m.key === 'loss')?.value, 0.5);
  assert.ok(Number.isNaN(before.data.metrics.find((m) => m.key === 'acc')?.value));
  src.runs[0]!.info.status = 'FINISHED';
  src.runs[0]!.info.run_name = 'renamed';
  assert.deepEqual(await model.apply(ev({ type: 'run.updated', runId: 'a', experimentId: '1', status: 'FINISHED' })), [{ kind: 'run', runId: 'a' }]);
  const after = (await model.listRuns('1')).runs[0]!;
  assert.equal(after, before, 'the same object: the tree node keeps its identity');
  assert.equal(after.info.run_name, 'renamed');
});

test('events for unloaded experiments cost nothing; unknown experiments refresh the root', async () => {
  const src = new MemorySource();
  const model = new RunsModel(() => src, () => 500);
  await model.listExperiments();
  const calls = src.calls.length;
  assert.deepEqual(await model.apply(ev({ type: 'run.updated', runId: 'x', experimentId: '1' })), []);
  assert.equal(src.calls.length, calls);
  assert.deepEqual(await model.apply(ev({ type: 'run.created', runId: 'x', experimentId: '99' })), [{ kind: 'root' }]);
  assert.deepEqual(await model.apply(ev({ type: 'experiment.created', experimentId: '2' })), [{ kind: 'root' }]);
});

test('with a filter, a changed run is re-checked against it and leaves the view when it no longer matches', async () => {
  const src = new MemorySource();
  src.runs = [fakeRun({ id: 'a', params: { lr: '0.1' } }), fakeRun({ id: 'b', params: { lr: '0.2' } })];
  const model = new RunsModel(() => src, () => 500);
  model.setQuery({ filter: "params.lr = '0.1'" });
  await model.listExperiments();
  assert.deepEqual((await model.listRuns('1')).runs.map((r) => r.info.run_id), ['a']);
  src.runs[0]!.data.params[0]!.value = '0.3';
  assert.deepEqual(await model.apply(ev({ type: 'run.data', runId: 'a', experimentId: '1' })), [{ kind: 'experiment', experimentId: '1' }]);
  assert.deepEqual((await model.listRuns('1')).runs, []);
  assert.ok(src.calls.includes("searchRuns:params.lr = '0.1' and attributes.run_id = 'a'"));
});

test('deleted runs leave the view unless deleted runs are shown', async () => {
  const src = new MemorySource();
  src.runs = [fakeRun({ id: 'a' })];
  const model = new RunsModel(() => src, () => 500);
  await model.listExperiments();
  await model.listRuns('1');
  src.runs[0]!.info.lifecycle_stage = 'deleted';
  await model.apply(ev({ type: 'run.updated', runId: 'a', experimentId: '1', lifecycle: 'deleted' }));
  assert.deepEqual((await model.listRuns('1')).runs, []);
  model.setQuery({ showDeleted: true });
  assert.deepEqual((await model.listRuns('1')).runs.map((r) => r.info.run_id), ['a']);
});

test('sort orders: metrics ascending with missing values last, names, time', () => {
  const runs = [fakeRun({ id: 'a', name: 'b', start: 1, metrics: { loss: 0.5 } }), fakeRun({ id: 'b', name: 'a', start: 2 }), fakeRun({ id: 'c', name: 'c', start: 3, metrics: { loss: 0.1 } })];
  assert.deepEqual([...runs].sort(orderComparator('metrics.`loss` ASC')).map((r) => r.info.run_id), ['c', 'a', 'b']);
  assert.deepEqual([...runs].sort(orderComparator('metrics.loss DESC')).map((r) => r.info.run_id), ['a', 'c', 'b']);
  assert.deepEqual([...runs].sort(orderComparator('attributes.run_name ASC')).map((r) => r.info.run_id), ['b', 'a', 'c']);
  assert.deepEqual([...runs].sort(orderComparator('attributes.start_time DESC')).map((r) => r.info.run_id), ['c', 'b', 'a']);
});
