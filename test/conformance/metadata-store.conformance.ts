/**
 * The behaviour every MetadataStore implementation must have (sql.js today, PostgreSQL next).
 * Call `metadataStoreConformance(name, open)` from a test file; `open` gives a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetadataStore } from '../../backend/store/metadata-store';
import { parseRunFilter, parseRunOrderBy } from '../../backend/search/runs';
import { parseExperimentFilter, parseExperimentOrderBy } from '../../backend/search/experiments';
import { parseModelFilter, parseVersionFilter } from '../../backend/search/models';
import { rejectsWithCode } from '../helpers/tmp';

export interface StoreFactory {
  open(): Promise<MetadataStore>;
  /** Closes and reopens the same store (for durable implementations). */
  reopen?(store: MetadataStore): Promise<MetadataStore>;
}

const page = { maxResults: 100, offset: 0 };

async function newRun(s: MetadataStore, experimentId: string, name: string, startTime = Date.now()) {
  return s.createRun({ experimentId, userId: 'alice', runName: name, startTime, tags: [] });
}

async function search(s: MetadataStore, experimentIds: string[], filter: string, orderBy: string[] = [], viewType: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL' = 'ACTIVE_ONLY') {
  const res = await s.searchRuns({ ...page, experimentIds, viewType, filter: parseRunFilter(filter), orderBy: parseRunOrderBy(orderBy) });
  return res.items.map((r) => r.info.run_name);
}

export function metadataStoreConformance(name: string, factory: StoreFactory): void {
  describe(`MetadataStore conformance: ${name}`, () => {
    it('seeds experiment 0 named Default', async () => {
      const s = await factory.open();
      const e = await s.getExperiment('0');
      assert.equal(e.name, 'Default');
      assert.equal(e.artifact_location, 'mlflow-artifacts:/0');
      assert.equal((await s.getExperimentByName('Default'))?.experiment_id, '0');
      await s.close();
    });

    it('creates experiments with unique names, renames, deletes and restores them', async () => {
      const s = await factory.open();
      const id = await s.createExperiment({ name: 'exp-a', tags: [{ key: 'team', value: 'vision' }] });
      assert.notEqual(id, '0');
      const e = await s.getExperiment(id);
      assert.equal(e.artifact_location, `mlflow-artifacts:/${id}`);
      assert.deepEqual(e.tags, [{ key: 'team', value: 'vision' }]);
      await rejectsWithCode(s.createExperiment({ name: 'exp-a' }), 'RESOURCE_ALREADY_EXISTS');
      await s.renameExperiment(id, 'exp-b');
      assert.equal((await s.getExperiment(id)).name, 'exp-b');
      assert.equal(await s.getExperimentByName('exp-a'), undefined);
      await s.deleteExperiment(id);
      assert.equal((await s.getExperiment(id)).lifecycle_stage, 'deleted');
      await rejectsWithCode(s.createRun({ experimentId: id, userId: '', runName: 'x', startTime: 1, tags: [] }), 'INVALID_STATE');
      await s.restoreExperiment(id);
      assert.equal((await s.getExperiment(id)).lifecycle_stage, 'active');
      await rejectsWithCode(s.getExperiment('987654'), 'RESOURCE_DOES_NOT_EXIST');
      await s.close();
    });

    it('searches experiments by name and tag with order and paging', async () => {
      const s = await factory.open();
      for (const n of ['test-1', 'test-2', 'prod-1']) await s.createExperiment({ name: n, tags: [{ key: 'kind', value: n.split('-')[0]! }] });
      const q = async (filter: string, orderBy: string[] = [], maxResults = 100, offset = 0) =>
        (await s.searchExperiments({ viewType: 'ACTIVE_ONLY', filter: parseExperimentFilter(filter), orderBy: parseExperimentOrderBy(orderBy), maxResults, offset })).items.map((e) => e.name);
      assert.deepEqual(await q("name LIKE 'test-%'", ['name ASC']), ['test-1', 'test-2']);
      assert.deepEqual(await q("tags.kind = 'prod'"), ['prod-1']);
      assert.deepEqual(await q("name ILIKE 'TEST-%' AND tags.kind = 'test'", ['name DESC']), ['test-2', 'test-1']);
      const first = await s.searchExperiments({ viewType: 'ALL', filter: [], orderBy: parseExperimentOrderBy(['name']), maxResults: 2, offset: 0 });
      assert.equal(first.items.length, 2);
      assert.equal(first.nextOffset, 2);
      const rest = await s.searchExperiments({ viewType: 'ALL', filter: [], orderBy: parseExperimentOrderBy(['name']), maxResults: 10, offset: 2 });
      assert.equal(rest.items.length, 2);
      assert.equal(rest.nextOffset, undefined);
      await s.close();
    });

    it('creates runs with MLflow ids, artifact URIs and the runName tag', async () => {
      const s = await factory.open();
      const run = await s.createRun({ experimentId: '0', userId: 'bob', runName: 'first', startTime: 1000, tags: [{ key: 'k', value: 'v' }] });
      assert.match(run.info.run_id, /^[0-9a-f]{32}$/);
      assert.equal(run.info.run_uuid, run.info.run_id);
      assert.equal(run.info.artifact_uri, `mlflow-artifacts:/0/${run.info.run_id}/artifacts`);
      assert.equal(run.info.status, 'RUNNING');
      assert.equal(run.info.lifecycle_stage, 'active');
      assert.equal(run.info.user_id, 'bob');
      assert.deepEqual(run.data.tags, [{ key: 'k', value: 'v' }, { key: 'mlflow.runName', value: 'first' }]);
      const info = await s.updateRun(run.info.run_id, { status: 'FINISHED', endTime: 2000, runName: 'renamed' });
      assert.equal(info.status, 'FINISHED');
      assert.equal(info.end_time, 2000);
      assert.equal(info.run_name, 'renamed');
      const again = await s.getRun(run.info.run_id);
      assert.equal(again.data.tags.find((t) => t.key === 'mlflow.runName')?.value, 'renamed');
      await rejectsWithCode(s.getRun('0123456789abcdef0123456789abcdef'), 'RESOURCE_DOES_NOT_EXIST');
      await s.close();
    });

    it('keeps params write-once, overwrites tags, and refuses writes to deleted runs', async () => {
      const s = await factory.open();
      const id = (await newRun(s, '0', 'r')).info.run_id;
      await s.logBatch(id, { params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 't', value: '1' }], latest: [] });
      await s.logBatch(id, { params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 't', value: '2' }], latest: [] });
      await rejectsWithCode(s.logBatch(id, { params: [{ key: 'lr', value: '0.2' }], tags: [], latest: [] }), 'INVALID_PARAMETER_VALUE');
      const run = await s.getRun(id);
      assert.deepEqual(run.data.params, [{ key: 'lr', value: '0.1' }]);
      assert.equal(run.data.tags.find((t) => t.key === 't')?.value, '2');
      await s.logBatch(id, { params: [], tags: [{ key: 'mlflow.runName', value: 'via-tag' }], latest: [] });
      assert.equal((await s.getRun(id)).info.run_name, 'via-tag');
      await s.deleteTag(id, 't');
      await rejectsWithCode(s.deleteTag(id, 't'), 'RESOURCE_DOES_NOT_EXIST');
      await s.deleteRun(id);
      assert.equal((await s.getRun(id)).info.lifecycle_stage, 'deleted');
      await rejectsWithCode(s.logBatch(id, { params: [], tags: [{ key: 'x', value: 'y' }], latest: [] }), 'INVALID_STATE');
      await rejectsWithCode(s.updateRun(id, { status: 'FAILED' }), 'INVALID_STATE');
      await s.restoreRun(id);
      await s.logBatch(id, { params: [], tags: [{ key: 'x', value: 'y' }], latest: [] });
      await s.close();
    });

    it('keeps the latest metric by step, then timestamp, then value; NaN flagged, infinities clamped', async () => {
      const s = await factory.open();
      const id = (await newRun(s, '0', 'm')).info.run_id;
      const latest = async () => Object.fromEntries((await s.getRun(id)).data.metrics.map((m) => [m.key, m]));
      await s.logBatch(id, { params: [], tags: [], latest: [{ key: 'a', value: 5, timestamp: 10, step: 2 }] });
      await s.logBatch(id, { params: [], tags: [], latest: [{ key: 'a', value: 9, timestamp: 99, step: 1 }] });
      assert.equal((await latest())['a']!.value, 5, 'a lower step never wins');
      await s.logBatch(id, { params: [], tags: [], latest: [{ key: 'a', value: 1, timestamp: 11, step: 2 }] });
      assert.equal((await latest())['a']!.value, 1, 'same step, later timestamp wins');
      await s.logBatch(id, { params: [], tags: [], latest: [{ key: 'a', value: 0.5, timestamp: 11, step: 2 }] });
      assert.equal((await latest())['a']!.value, 1, 'same step and timestamp: larger value wins');
      await s.logBatch(id, { params: [], tags: [], latest: [{ key: 'n', value: NaN, timestamp: 1, step: 0 }, { key: 'i', value: Infinity, timestamp: 1, step: 0 }, { key: 'j', value: -Infinity, timestamp: 1, step: 0 }] });
      const l = await latest();
      assert.ok(Number.isNaN(l['n']!.value));
      assert.equal(l['i']!.value, Number.MAX_VALUE);
      assert.equal(l['j']!.value, -Number.MAX_VALUE);
      await s.close();
    });

    it('searches runs with the whole filter grammar, order_by and paging', async () => {
      const s = await factory.open();
      const exp = await s.createExperiment({ name: 'search-exp' });
      const specs = [
        { name: 'alpha', lr: '0.1', acc: 0.9, loss: 0.3, model: 'LogisticRegression', status: 'FINISHED' as const },
        { name: 'beta', lr: '0.01', acc: 0.8, loss: 0.1, model: 'linear', status: 'FAILED' as const },
        { name: 'gamma', lr: '0.1', acc: 0.95, loss: NaN, model: 'Lasso', status: 'FINISHED' as const },
        { name: 'delta', lr: '0.001', acc: undefined, loss: 0.2, model: 'lasso', status: 'RUNNING' as const },
      ];
      const ids: Record<string, string> = {};
      for (const [i, sp] of specs.entries()) {
        const run = await newRun(s, exp, sp.name, 1000 + i);
        ids[sp.name] = run.info.run_id;
        const latest = [];
        if (sp.acc !== undefined) latest.push({ key: 'acc', value: sp.acc, timestamp: 1, step: 0 });
        latest.push({ key: 'loss', value: sp.loss, timestamp: 1, step: 0 });
        await s.logBatch(run.info.run_id, { params: [{ key: 'lr', value: sp.lr }, { key: 'model_class', value: sp.model }], tags: [{ key: 'task', value: 'classification' }], latest });
        if (sp.status !== 'RUNNING') await s.updateRun(run.info.run_id, { status: sp.status, endTime: 5000 + i });
      }
      const sorted = (xs: string[]) => [...xs].sort();
      assert.deepEqual(sorted(await search(s, [exp], 'metrics.acc > 0.85')), ['alpha', 'gamma']);
      assert.deepEqual(sorted(await search(s, [exp], 'metrics.acc >= 0.8 AND metrics.loss <= 0.15')), ['beta']);
      assert.deepEqual(sorted(await search(s, [exp], 'metrics.loss != 0.1')), ['alpha', 'delta'], 'NaN and missing never match');
      assert.deepEqual(sorted(await search(s, [exp], "params.lr = '0.1'")), ['alpha', 'gamma']);
      assert.deepEqual(sorted(await search(s, [exp], 'params.lr != "0.1"')), ['beta', 'delta']);
      assert.deepEqual(sorted(await search(s, [exp], "params.model_class LIKE 'L%'")), ['alpha', 'gamma'], 'LIKE is case-sensitive');
      assert.deepEqual(sorted(await search(s, [exp], "params.model_class ILIKE 'l%'")), ['alpha', 'beta', 'delta', 'gamma']);
      assert.deepEqual(sorted(await search(s, [exp], "params.model_class LIKE '_asso'")), ['delta', 'gamma']);
      assert.deepEqual(sorted(await search(s, [exp], "tags.task ILIKE 'CLASSIF%' AND attributes.status = 'FINISHED'")), ['alpha', 'gamma']);
      assert.deepEqual(sorted(await search(s, [exp], "run_name = 'beta'")), ['beta']);
      assert.deepEqual(sorted(await search(s, [exp], `attributes.run_id IN ('${ids['alpha']}', '${ids['delta']}')`)), ['alpha', 'delta']);
      assert.deepEqual(sorted(await search(s, [exp], `attributes.run_id NOT IN ('${ids['alpha']}')`)), ['beta', 'delta', 'gamma']);
      assert.deepEqual(sorted(await search(s, [exp], 'attributes.start_time >= 1002')), ['delta', 'gamma']);
      assert.deepEqual(sorted(await search(s, [exp], 'attributes.created < 1001')), ['alpha']);
      assert.deepEqual(sorted(await search(s, [exp], "tags.`task` = 'classification' AND metrics.\"acc\" < 0.85")), ['beta']);
      assert.deepEqual(await search(s, [exp], '', ['metrics.acc DESC']), ['gamma', 'alpha', 'beta', 'delta'], 'missing values sort last');
      assert.deepEqual(await search(s, [exp], '', ['metrics.loss ASC']), ['beta', 'delta', 'alpha', 'gamma'], 'NaN sorts last');
      assert.deepEqual(await search(s, [exp], '', ['params.lr ASC', 'metrics.acc DESC']), ['delta', 'beta', 'gamma', 'alpha']);
      for (const [order, expected] of [
        ['metrics.acc DESC', ['gamma', 'alpha', 'beta', 'delta']],
        ['metrics.acc ASC', ['beta', 'alpha', 'gamma', 'delta']],
        ['metrics.loss DESC', ['alpha', 'delta', 'beta', 'gamma']],
      ] as const) {
        for (const size of [1, 2, 3]) {
          const names: string[] = [];
          for (let offset: number | undefined = 0; offset !== undefined; ) {
            const res = await s.searchRuns({ experimentIds: [exp], viewType: 'ACTIVE_ONLY', filter: [], orderBy: parseRunOrderBy([order]), maxResults: size, offset });
            names.push(...res.items.map((r) => r.info.run_name));
            offset = res.nextOffset;
          }
          assert.deepEqual(names, expected, `${order} in pages of ${size}: runs with the key first, missing and NaN last`);
        }
      }
      assert.deepEqual(await search(s, [exp], ''), ['delta', 'gamma', 'beta', 'alpha'], 'default order: start_time DESC');
      assert.deepEqual(await search(s, [exp], '', ['attributes.run_name']), ['alpha', 'beta', 'delta', 'gamma']);
      const p1 = await s.searchRuns({ experimentIds: [exp], viewType: 'ACTIVE_ONLY', filter: [], orderBy: parseRunOrderBy(['run_name']), maxResults: 3, offset: 0 });
      assert.deepEqual(p1.items.map((r) => r.info.run_name), ['alpha', 'beta', 'delta']);
      assert.equal(p1.nextOffset, 3);
      const p2 = await s.searchRuns({ experimentIds: [exp], viewType: 'ACTIVE_ONLY', filter: [], orderBy: parseRunOrderBy(['run_name']), maxResults: 3, offset: 3 });
      assert.deepEqual(p2.items.map((r) => r.info.run_name), ['gamma']);
      assert.equal(p2.nextOffset, undefined);
      await s.deleteRun(ids['beta']!);
      assert.deepEqual(await search(s, [exp], '', [], 'DELETED_ONLY'), ['beta']);
      assert.equal((await search(s, [exp], '', [], 'ALL')).length, 4);
      assert.deepEqual(await search(s, ['0'], ''), [], 'other experiments are not searched');
      const hydrated = (await s.searchRuns({ experimentIds: [exp], viewType: 'ACTIVE_ONLY', filter: parseRunFilter("run_name = 'alpha'"), orderBy: [], ...page })).items[0]!;
      assert.deepEqual(hydrated.data.params, [{ key: 'lr', value: '0.1' }, { key: 'model_class', value: 'LogisticRegression' }]);
      assert.deepEqual(hydrated.data.metrics.map((m) => m.key), ['acc', 'loss']);
      await s.close();
    });

    it('records dataset inputs and filters on them', async () => {
      const s = await factory.open();
      const exp = await s.createExperiment({ name: 'inputs-exp' });
      const a = await newRun(s, exp, 'with-data');
      await newRun(s, exp, 'without-data');
      await s.logInputs(a.info.run_id, [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'weather', digest: 'abc123', source_type: 'local', source: 'data/weather.csv' } }]);
      const run = await s.getRun(a.info.run_id);
      assert.equal(run.inputs.dataset_inputs[0]?.dataset.digest, 'abc123');
      assert.deepEqual(await search(s, [exp], "datasets.name = 'weather'"), ['with-data']);
      assert.deepEqual(await search(s, [exp], "datasets.context = 'train'"), ['with-data']);
      assert.deepEqual(await search(s, [exp], "datasets.digest IN ('zzz')"), []);
      await s.close();
    });

    it('runs the model registry: versions, stages, aliases, tags and search', async () => {
      const s = await factory.open();
      const rm = await s.createRegisteredModel({ name: 'weather', description: 'd', tags: [{ key: 'team', value: 'ml' }] });
      assert.equal(rm.name, 'weather');
      await rejectsWithCode(s.createRegisteredModel({ name: 'weather' }), 'RESOURCE_ALREADY_EXISTS');
      const v1 = await s.createModelVersion({ name: 'weather', source: 'mlflow-artifacts:/0/r1/artifacts/model', runId: 'r1' });
      const v2 = await s.createModelVersion({ name: 'weather', source: 'mlflow-artifacts:/0/r2/artifacts/model', runId: 'r2' });
      assert.equal(v1.version, '1');
      assert.equal(v2.version, '2');
      assert.equal(v2.status, 'READY');
      assert.equal(v2.current_stage, 'None');
      await s.transitionStage('weather', '1', 'Production', false);
      await s.transitionStage('weather', '2', 'Production', true);
      assert.equal((await s.getModelVersion('weather', '1')).current_stage, 'Archived');
      const latest = await s.getLatestVersions('weather', ['Production']);
      assert.deepEqual(latest.map((v) => v.version), ['2']);
      await s.setAlias('weather', 'champion', '2');
      await s.setAlias('weather', 'challenger', '1');
      assert.equal((await s.getVersionByAlias('weather', 'champion')).version, '2');
      await s.setAlias('weather', 'champion', '1');
      assert.equal((await s.getVersionByAlias('weather', 'champion')).version, '1');
      assert.deepEqual((await s.getModelVersion('weather', '1')).aliases, ['challenger', 'champion']);
      assert.deepEqual((await s.getRegisteredModel('weather')).aliases, [{ alias: 'challenger', version: '1' }, { alias: 'champion', version: '1' }]);
      await s.deleteAlias('weather', 'challenger');
      await rejectsWithCode(s.getVersionByAlias('weather', 'challenger'), 'RESOURCE_DOES_NOT_EXIST');
      await s.setModelVersionTag('weather', '2', 'validated', 'yes');
      assert.deepEqual((await s.getModelVersion('weather', '2')).tags, [{ key: 'validated', value: 'yes' }]);
      await s.createRegisteredModel({ name: 'penguins' });
      const byTag = await s.searchRegisteredModels({ ...page, filter: parseModelFilter("tags.team = 'ml'"), orderBy: [] });
      assert.deepEqual(byTag.items.map((m) => m.name), ['weather']);
      const byName = await s.searchRegisteredModels({ ...page, filter: parseModelFilter("name LIKE 'p%'"), orderBy: [] });
      assert.deepEqual(byName.items.map((m) => m.name), ['penguins']);
      const versions = await s.searchModelVersions({ ...page, filter: parseVersionFilter("name = 'weather' AND run_id IN ('r2')"), orderBy: [] });
      assert.deepEqual(versions.items.map((v) => v.version), ['2']);
      await s.renameRegisteredModel('weather', 'weather2');
      assert.equal((await s.getVersionByAlias('weather2', 'champion')).version, '1');
      await s.deleteModelVersion('weather2', '1');
      await rejectsWithCode(s.getVersionByAlias('weather2', 'champion'), 'RESOURCE_DOES_NOT_EXIST');
      await s.deleteRegisteredModel('weather2');
      await rejectsWithCode(s.getRegisteredModel('weather2'), 'RESOURCE_DOES_NOT_EXIST');
      await s.close();
    });

    it('indexes artifacts by path and lists directories', async () => {
      const s = await factory.open();
      const h = 'a'.repeat(64);
      await s.putArtifact('0/r/artifacts/model/model.json', h, 10);
      await s.putArtifact('0/r/artifacts/model/weights.bin', h, 20);
      await s.putArtifact('0/r/artifacts/log.txt', h, 5);
      await s.putArtifact('0/r2/artifacts/other.txt', h, 1);
      assert.deepEqual(await s.listArtifacts('0/r/artifacts'), [
        { path: 'log.txt', is_dir: false, file_size: 5 },
        { path: 'model', is_dir: true },
      ]);
      assert.deepEqual((await s.listArtifacts('0/r/artifacts/model')).map((f) => f.path), ['model.json', 'weights.bin']);
      assert.deepEqual(await s.getArtifact('0/r/artifacts/log.txt'), { hash: h, size: 5 });
      assert.equal(await s.deleteArtifacts('0/r/artifacts/model'), 2);
      assert.deepEqual((await s.listArtifacts('0/r/artifacts')).map((f) => f.path), ['log.txt']);
      await s.close();
    });

    if (factory.reopen) {
      it('keeps everything across a close and reopen', async () => {
        let s = await factory.open();
        const exp = await s.createExperiment({ name: 'durable' });
        const run = await newRun(s, exp, 'kept');
        await s.logBatch(run.info.run_id, { params: [{ key: 'p', value: '1' }], tags: [{ key: 't', value: '2' }], latest: [{ key: 'm', value: 3, timestamp: 4, step: 5 }] });
        await s.createRegisteredModel({ name: 'kept-model' });
        s = await factory.reopen!(s);
        const again = await s.getRun(run.info.run_id);
        assert.deepEqual(again.data.params, [{ key: 'p', value: '1' }]);
        assert.equal(again.data.metrics[0]?.value, 3);
        assert.equal((await s.getRegisteredModel('kept-model')).name, 'kept-model');
        await s.close();
      });
    }
  });
}
