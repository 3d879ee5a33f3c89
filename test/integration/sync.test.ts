import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CAIRN_DATASET_SOURCE_TYPE, datasetDigest, type DatasetVersion } from '../../backend/api/data';
import type { ModelVersion, RegisteredModel, Run } from '../../backend/api/mlflow';
import type { LoggedModel } from '../../backend/api/registry';
import type { AuditEntry } from '../../backend/api/team';
import type { CairnClient } from '../../backend/client/cairn-client';
import { ObjectClient } from '../../backend/client/object-client';
import { encodeManifest, manifestHash } from '../../backend/data/manifest';
import { pgTestDatabase } from '../helpers/pg';
import { S3_BUCKET, s3TestServer } from '../helpers/s3';
import { CLI, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { addUser, cairn, startTeamServer, type TeamServer } from '../helpers/team-server';
import { tmpDir } from '../helpers/tmp';

const db = pgTestDatabase();
const s3 = s3TestServer();
const storeDir = tmpDir();
const RUNS = 8;
let local: ServerProcess;
let remote: TeamServer;
let token: string;
let adminToken: string;
let target: CairnClient;
let loggedModelId: string;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Dataset bytes on the laptop: a CSV file in two versions and a folder of two files. */
const csvV1 = Buffer.from('date,rain\n2012-01-01,0\n');
const csvV2 = Buffer.from('date,rain\n2012-01-01,0\n2012-01-02,1\n');
const images = [Buffer.alloc(70_000, 1), Buffer.from('second image')];
const imagesManifest = encodeManifest(images.map((b, i) => ({ path: `img-${i}.bin`, hash: sha256(b), size: b.length })));
/** A version registered on the laptop whose bytes never were (added on another machine). */
const elsewhere = 'e'.repeat(64);

async function readObject(client: CairnClient, hash: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await new ObjectClient(client).getObject(hash)).stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** MLflow 3 `log_model` of a run, its output link, and a registered version made from it. */
async function recordLoggedModel(c: CairnClient, experimentId: string, run: Run): Promise<string> {
  const { model } = await c.mlflow<{ model: LoggedModel }>('POST', 'logged-models', { experiment_id: experimentId, name: 'net', model_type: 'tfjs-layers', source_run_id: run.info.run_id, params: [{ key: 'units', value: '16' }], tags: [{ key: 'framework', value: 'tfjs' }] });
  await c.putArtifact(`${model.info.artifact_uri.replace('mlflow-artifacts:/', '')}/model.json`, '{"format":"layers-model"}');
  await c.mlflow('PATCH', `logged-models/${model.info.model_id}`, { status: 'LOGGED_MODEL_READY' });
  await c.mlflow('POST', 'runs/outputs', { run_id: run.info.run_id, models: [{ model_id: model.info.model_id, step: 3 }] });
  await c.mlflow('POST', 'registered-models/create', { name: 'net' });
  await c.mlflow('POST', 'model-versions/create', { name: 'net', source: `models:/${model.info.model_id}`, run_id: run.info.run_id, model_id: model.info.model_id });
  return model.info.model_id;
}

/** `cairn data push` of a file (two versions) and a folder, and `cairn run`'s input link to one version. */
async function recordDatasets(c: CairnClient, run: Run): Promise<void> {
  const objects = new ObjectClient(c);
  for (const b of [csvV1, csvV2, ...images, imagesManifest]) await objects.putObject(sha256(b), b);
  const tabular = { format: 'csv' as const, rows: 1, columns: [{ name: 'date', type: 'date' as const, nulls: 0 }, { name: 'rain', type: 'integer' as const, nulls: 0 }] };
  await c.registerDatasetVersions([{ name: 'data/weather.csv', hash: sha256(csvV1), kind: 'file', size: csvV1.length, files: 1, tabular, git_commit: 'abc1234' }]);
  await c.registerDatasetVersions([
    { name: 'data/weather.csv', hash: sha256(csvV2), kind: 'file', size: csvV2.length, files: 1 },
    { name: 'data/images', hash: manifestHash(imagesManifest), kind: 'dir', size: 70_012, files: 2 },
    { name: 'data/elsewhere.bin', hash: elsewhere, kind: 'file', size: 3, files: 1 },
  ]);
  const source = JSON.stringify({ path: 'data/weather.csv', hash: sha256(csvV1), kind: 'file', size: csvV1.length, files: 1 });
  await c.logInputs(run.info.run_id, [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'data/weather.csv', digest: datasetDigest(sha256(csvV1)), source_type: CAIRN_DATASET_SOURCE_TYPE, source } }]);
}

async function download(client: CairnClient, url: string, path: string): Promise<Buffer> {
  const res = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${path}`, { headers: client.headers() });
  assert.equal(res.status, 200, `download ${path}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Records a laptop's worth of work on the local embedded server. */
async function recordLocalWork(c: CairnClient): Promise<Run[]> {
  const exp = await c.createExperiment('weather', [{ key: 'team', value: 'forecast' }]);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await c.createRun({ experimentId: exp, runName: `run-${i}`, startTime: 1_000 + i, tags: [{ key: 'mlflow.user', value: 'laptop' }] });
    for (let b = 0; b < 3; b++) {
      await c.logBatch(run.info.run_id, {
        metrics: Array.from({ length: 300 }, (_, j) => ({ key: j % 3 === 0 ? 'loss' : j % 3 === 1 ? 'acc' : 'val/loss', value: j === 5 && i === 0 ? NaN : Math.sin(i + b * 300 + j), timestamp: b * 1000 + j, step: b * 100 + Math.floor(j / 3) })),
        params: b === 0 ? [{ key: 'lr', value: String(0.1 / (i + 1)) }, { key: 'epochs', value: '3' }] : [],
        tags: [{ key: 'stage', value: `epoch-${b}` }],
      });
    }
    await c.mlflow('POST', 'runs/log-inputs', { run_id: run.info.run_id, datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'seattle-weather', digest: 'abc123', source_type: 'local', source: 'weather.csv' } }] });
    await c.uploadArtifact(run.info, 'notes/summary.txt', `run ${i}\n`);
    if (i === 1) await c.uploadArtifact(run.info, 'model/weights.bin', Buffer.alloc(6 * 1024 * 1024 + 5, 7));
    await c.updateRun(run.info.run_id, { status: i === 2 ? 'FAILED' : 'FINISHED', endTime: 5_000 + i });
    runs.push(await c.getRun(run.info.run_id));
  }
  await c.mlflow('POST', 'runs/delete', { run_id: runs[3]!.info.run_id });
  await c.mlflow('POST', 'registered-models/create', { name: 'rain', description: 'rain tomorrow?', tags: [{ key: 'owner', value: 'laptop' }] });
  for (const i of [0, 1]) {
    await c.mlflow('POST', 'model-versions/create', { name: 'rain', source: `${runs[i]!.info.artifact_uri}/model`, run_id: runs[i]!.info.run_id });
  }
  await c.mlflow('POST', 'model-versions/transition-stage', { name: 'rain', version: '2', stage: 'Production', archive_existing_versions: false });
  await c.mlflow('POST', 'registered-models/alias', { name: 'rain', alias: 'champion', version: '2' });
  loggedModelId = await recordLoggedModel(c, exp, runs[0]!);
  await recordDatasets(c, runs[4]!);
  runs[0] = await c.getRun(runs[0]!.info.run_id);
  runs[4] = await c.getRun(runs[4]!.info.run_id);
  return runs;
}

function syncProcess(extra: string[] = []) {
  return spawn(process.execPath, [CLI, 'sync', '--to', remote.url, '--token', token, '--store', storeDir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('cairn sync: a laptop store into a team backend', () => {
  let runs: Run[];
  before(async () => {
    const dbUrl = await db.ready();
    token = await addUser(dbUrl, 'sync', 'lee', 'writer');
    adminToken = await addUser(dbUrl, 'sync', 'root', 'admin');
    [local, remote] = await Promise.all([
      startServerProcess(storeDir, [], { CAIRN_FSYNC: '0' }),
      startTeamServer({ db: dbUrl, schema: 'sync', objects: `s3://${S3_BUCKET}/sync`, env: await s3.ready() }),
    ]);
    target = remote.client(token);
    await target.createExperiment('someone-else'); // so experiment ids differ between the two sides
    runs = await recordLocalWork(local.client);
  });
  after(async () => {
    await Promise.all([local?.stop(), remote?.stop()]);
    if (remote && /internal error/.test(remote.stderr())) throw new Error(`the remote logged internal errors:\n${remote.stderr()}`);
  });

  it('resumes after being killed mid-way and ends with identical runs, histories, artifacts and models', async () => {
    const first = syncProcess();
    let out = '';
    await new Promise<void>((resolve) => {
      first.stdout!.on('data', (d) => {
        out += d;
        if ((out.match(/^run /gm) ?? []).length >= 3 && first.exitCode === null) first.kill('SIGKILL');
      });
      first.once('exit', () => resolve());
    });
    assert.equal(first.signalCode, 'SIGKILL', `the first sync was interrupted (it printed:\n${out})`);
    const partial = await target.searchRuns({ experiment_ids: [(await target.getExperimentByName('weather'))!.experiment_id], run_view_type: 'ALL' });
    assert.ok(partial.runs.length < RUNS, `the interrupted sync copied only part of the runs (${partial.runs.length})`);

    const second = await cairn(['sync', '--to', remote.url, '--token', token, '--store', storeDir]);
    assert.equal(second.code, 0, second.stderr);
    const skipped = Number(/runs: \d+ found, (\d+) already synced/.exec(second.stdout)![1]);
    assert.ok(skipped >= 3, `the resumed sync skipped what was done (${second.stdout})`);

    const remoteExp = (await target.getExperimentByName('weather'))!;
    const localExp = (await local.client.getExperimentByName('weather'))!;
    assert.notEqual(remoteExp.experiment_id, localExp.experiment_id, 'experiment ids are mapped by name');
    assert.deepEqual(remoteExp.tags, localExp.tags);
    for (const lr of runs) {
      const localRun = await local.client.getRun(lr.info.run_id);
      const remoteRun = await target.getRun(lr.info.run_id);
      const { experiment_id: _e1, artifact_uri: uri, ...localInfo } = localRun.info;
      const { experiment_id: e2, artifact_uri: remoteUri, ...remoteInfo } = remoteRun.info;
      assert.equal(e2, remoteExp.experiment_id);
      assert.equal(remoteUri, uri.replace(`:/${localExp.experiment_id}/`, `:/${remoteExp.experiment_id}/`));
      assert.deepEqual(remoteInfo, localInfo, 'run id, name, user, status, times and lifecycle are kept');
      assert.deepEqual(remoteRun.data.params, localRun.data.params);
      assert.deepEqual(remoteRun.data.tags, localRun.data.tags);
      assert.deepEqual(JSON.stringify(remoteRun.data.metrics), JSON.stringify(localRun.data.metrics));
      assert.deepEqual(remoteRun.inputs.dataset_inputs, localRun.inputs.dataset_inputs);
      for (const key of ['loss', 'acc', 'val/loss']) {
        assert.deepEqual(JSON.stringify(await target.metricHistory(lr.info.run_id, key)), JSON.stringify(await local.client.metricHistory(lr.info.run_id, key)), `history ${key}`);
      }
      const localRoot = uri.replace('mlflow-artifacts:/', '');
      const remoteRoot = remoteUri.replace('mlflow-artifacts:/', '');
      assert.deepEqual(await download(target, remote.url, `${remoteRoot}/notes/summary.txt`), await download(local.client, local.url, `${localRoot}/notes/summary.txt`));
    }
    const big = runs[1]!.info.artifact_uri.replace(`mlflow-artifacts:/${localExp.experiment_id}/`, `${remoteExp.experiment_id}/`);
    assert.deepEqual(await download(target, remote.url, `${big}/model/weights.bin`), Buffer.alloc(6 * 1024 * 1024 + 5, 7));

    const model = (await target.mlflow<{ registered_model: RegisteredModel }>('GET', 'registered-models/get', { name: 'rain' })).registered_model;
    assert.equal(model.description, 'rain tomorrow?');
    assert.deepEqual(model.tags, [{ key: 'owner', value: 'laptop' }]);
    const champion = (await target.mlflow<{ model_version: ModelVersion }>('GET', 'registered-models/alias', { name: 'rain', alias: 'champion' })).model_version;
    assert.equal(champion.run_id, runs[1]!.info.run_id, 'the alias points at the version of the same run');
    assert.equal(champion.current_stage, 'Production');
    assert.equal(champion.source, `mlflow-artifacts:/${big}/model`, "the version's source moved with its run's artifacts");

    const localModel = (await local.client.mlflow<{ model: LoggedModel }>('GET', `logged-models/${loggedModelId}`)).model;
    const remoteModel = (await target.mlflow<{ model: LoggedModel }>('GET', `logged-models/${loggedModelId}`)).model;
    const { experiment_id: _le, artifact_uri: localModelUri, ...localModelInfo } = localModel.info;
    const { experiment_id: re, artifact_uri: remoteModelUri, ...remoteModelInfo } = remoteModel.info;
    assert.deepEqual(remoteModelInfo, localModelInfo, 'the logged model keeps its id, status, tags and source run');
    assert.equal(re, remoteExp.experiment_id);
    assert.deepEqual(remoteModel.data, localModel.data);
    assert.equal(remoteModelUri, localModelUri.replace(`:/${localExp.experiment_id}/`, `:/${remoteExp.experiment_id}/`));
    assert.deepEqual(await download(target, remote.url, `${remoteModelUri.replace('mlflow-artifacts:/', '')}/model.json`), Buffer.from('{"format":"layers-model"}'));
    assert.deepEqual((await target.getRun(runs[0]!.info.run_id)).outputs?.model_outputs, [{ model_id: loggedModelId, step: 3 }]);
    const netVersion = (await target.mlflow<{ model_version: ModelVersion }>('GET', 'model-versions/get', { name: 'net', version: '1' })).model_version;
    assert.equal(netVersion.model_id, loggedModelId, 'the registered version still names its logged model');

    const strip = (vs: DatasetVersion[]) => vs.map(({ created_time: _t, ...v }) => v);
    for (const name of ['data/weather.csv', 'data/images', 'data/elsewhere.bin']) {
      assert.deepEqual(strip(await target.getDataset(name)), strip(await local.client.getDataset(name)), `dataset ${name}: versions, commits, summaries and run links`);
    }
    assert.deepEqual((await target.getDataset('data/weather.csv')).find((v) => v.hash === sha256(csvV1))?.run_ids, [runs[4]!.info.run_id]);
    for (const b of [csvV1, csvV2, imagesManifest, ...images]) assert.deepEqual(await readObject(target, sha256(b)), b, 'dataset bytes reached the remote store');
    assert.deepEqual(await target.missingObjects([elsewhere]), [elsewhere], 'bytes the laptop never had are not invented');
  });

  it('changes nothing when run again, even when told to re-check everything', async () => {
    const admin = remote.client(adminToken);
    const before = (await admin.call<{ entries: AuditEntry[] }>('GET', '/api/cairn/v1/admin/audit', { max_results: 10_000 })).entries.length;
    const again = await cairn(['sync', '--to', remote.url, '--token', token, '--store', storeDir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`runs: ${RUNS} found, ${RUNS} already synced, 0 pushed`));
    assert.match(again.stdout, /^models: 2 found, 2 already synced, 0 pushed/m);
    assert.match(again.stdout, /logged-models: 1 found, 1 already synced, 0 pushed/);
    assert.match(again.stdout, /datasets: 3 found, 3 already synced, 0 pushed/);
    const full = await cairn(['sync', '--to', remote.url, '--token', token, '--store', storeDir, '--full']);
    assert.equal(full.code, 0, full.stderr);
    assert.match(full.stdout, new RegExp(`runs: ${RUNS} found, 0 already synced, ${RUNS} pushed, 0 change\\(s\\)`));
    assert.match(full.stdout, /^models: 2 found, 0 already synced, 2 pushed, 0 change\(s\)/m);
    assert.match(full.stdout, /logged-models: 1 found, 0 already synced, 1 pushed, 0 change\(s\)/);
    assert.match(full.stdout, /datasets: 3 found, 0 already synced, 3 pushed, 0 change\(s\)/);
    const afterCount = (await admin.call<{ entries: AuditEntry[] }>('GET', '/api/cairn/v1/admin/audit', { max_results: 10_000 })).entries.length;
    assert.equal(afterCount, before, 'no write reached the remote');
  });

  it('sends what changed locally since the last sync', async () => {
    const run = runs[5]!;
    await local.client.logBatch(run.info.run_id, { metrics: [{ key: 'loss', value: -1, timestamp: 9_999, step: 10_000 }], tags: [{ key: 'reviewed', value: 'yes' }] });
    const res = await cairn(['sync', '--to', remote.url, '--token', token, '--store', storeDir]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`runs: ${RUNS} found, ${RUNS - 1} already synced, 1 pushed, 2 change\\(s\\)`));
    const remoteRun = await target.getRun(run.info.run_id);
    assert.equal(remoteRun.data.tags.find((t) => t.key === 'reviewed')?.value, 'yes');
    assert.equal((await target.metricHistory(run.info.run_id, 'loss')).length, 301);
  });
});
