/**
 * The engines of the other features on a team backend (PostgreSQL + S3): data versioning's
 * push/pull through the object endpoints, and serving a registered model whose files are in S3
 * from a deployment recorded in PostgreSQL — on the replica that deployed it and on one started later.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServingClient } from '../../backend/client/serving-client';
import { TfjsRuntime } from '../../backend/serving/runtimes/tfjs-runtime';
import { runCli } from '../helpers/cli';
import { commitAll, git, initRepo } from '../helpers/git-repo';
import { waitFor } from '../helpers/load';
import { FEATURES, trainWeatherTfjs, weatherRows } from '../helpers/models';
import { pgTestDatabase } from '../helpers/pg';
import { publishModel } from '../helpers/registry';
import { S3_BUCKET, s3TestServer } from '../helpers/s3';
import { addUser, startTeamServer, type TeamServer } from '../helpers/team-server';
import { tmpDir } from '../helpers/tmp';

const db = pgTestDatabase();
const s3 = s3TestServer();
const root = tmpDir('cairn-team-engines-');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const replicas: TeamServer[] = [];
let writer: string;
let reader: string;
let dbUrl: string;
let s3Env: Record<string, string>;

const startReplica = async () => {
  const r = await startTeamServer({ db: dbUrl, schema: 'engines', objects: `s3://${S3_BUCKET}/engines`, env: s3Env });
  replicas.push(r);
  return r;
};

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out[path.relative(dir, path.join(f.parentPath, f.name))] = sha(fs.readFileSync(path.join(f.parentPath, f.name)));
  }
  return out;
}

before(async () => {
  dbUrl = await db.ready();
  s3Env = await s3.ready();
  writer = await addUser(dbUrl, 'engines', 'wes', 'writer');
  reader = await addUser(dbUrl, 'engines', 'rita', 'reader');
  await startReplica();
});
after(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  for (const r of replicas) if (/internal error/.test(r.stderr())) throw new Error(`a replica logged internal errors:\n${r.stderr()}`);
});

describe('data versioning against a team backend (objects in S3)', () => {
  const origin = path.join(root, 'origin');
  const remote = (token: string) => ['--remote', replicas[0]!.url, '--token', token];

  before(async () => {
    initRepo(origin);
    fs.mkdirSync(path.join(origin, 'data/images'), { recursive: true });
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(origin, `data/images/img${i}.bin`), Buffer.alloc(200 + i, i));
    fs.writeFileSync(path.join(origin, 'data/images/large.bin'), Buffer.alloc((1 << 20) + 17, 3)); // over a pack entry: sent alone
    const add = await runCli(['data', 'add', 'data/images'], { cwd: origin });
    assert.equal(add.code, 0, add.stderr);
    commitAll(origin, 'data');
  });

  it('takes a push from a writer (packs and single objects), and a second push sends nothing', async () => {
    const first = await runCli(['data', 'push', '--json', ...remote(writer)], { cwd: origin });
    assert.equal(first.code, 0, first.stderr);
    const r1 = JSON.parse(first.stdout) as { objects: number; uploaded: number };
    assert.deepEqual([r1.objects, r1.uploaded], [42, 42], '41 files and the manifest');
    const second = JSON.parse((await runCli(['data', 'push', '--json', ...remote(writer)], { cwd: origin })).stdout) as typeof r1;
    assert.equal(second.uploaded, 0);
    const versions = await replicas[0]!.client(reader).getDataset('data/images');
    assert.equal(versions[0]!.git_commit, git(origin, 'rev-parse', 'HEAD').trim());
  });

  it('lets a reader pull byte for byte, and refuses a reader\'s push', async () => {
    const clone = path.join(root, 'clone');
    git(root, 'clone', '-q', origin, clone);
    const pulled = await runCli(['data', 'pull', '--json', ...remote(reader)], { cwd: clone });
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.deepEqual(tree(path.join(clone, 'data/images')), tree(path.join(origin, 'data/images')));
    fs.writeFileSync(path.join(clone, 'data/images/new.bin'), 'from the reader');
    assert.equal((await runCli(['data', 'add', 'data/images'], { cwd: clone })).code, 0);
    const push = await runCli(['data', 'push', ...remote(reader)], { cwd: clone });
    assert.notEqual(push.code, 0, 'a reader cannot push');
    assert.match(push.stderr, /PERMISSION_DENIED|writer/i);
  });
});

describe('serving on a team backend (deployments in PostgreSQL, model files in S3)', () => {
  const modelDir = path.join(root, 'model');
  const rows = weatherRows();
  const x = (i: number) => FEATURES.map((f) => rows[i]![f as 'wind']);

  it('serves a deployment from the replica that made it and from a replica started afterwards', async () => {
    await trainWeatherTfjs(modelDir, { epochs: 2, seed: 3 });
    const reference = await TfjsRuntime.load(modelDir, 'tfjs-layers');
    const wanted = (await reference.predict([{ name: 'x', datatype: 'FP32', shape: [2, 4], data: [...x(0), ...x(1)] }]))[0]!.data as number[];
    const first = replicas[0]!;
    await publishModel(first.client(writer), modelDir, { name: 'weather', experiment: 'team-serving' });
    const deployed = await new ServingClient(first.client(writer)).deploy({ model: 'weather/1', name: 'weather' });
    assert.equal(deployed.name, 'weather');
    const check = async (replica: TeamServer) => {
      const sc = new ServingClient(replica.client(reader));
      await waitFor('the deployment to be ready', async () => ((await sc.deployment('weather').catch(() => undefined))?.state === 'ready' ? true : undefined), 60_000);
      const res = await sc.infer('weather', { inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', data: [...x(0), ...x(1)] }] });
      (res.outputs[0]!.data as number[]).forEach((v, i) => assert.ok(Math.abs(v - wanted[i]!) < 1e-5, `output ${i}: ${v} ≠ ${wanted[i]}`));
    };
    await check(first);
    await check(await startReplica());
  });
});
