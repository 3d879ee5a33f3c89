import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditEntry, WhoAmI } from '../../backend/api/team';
import { BackendError } from '../../backend/client/cairn-client';
import { pgTestDatabase } from '../helpers/pg';
import { S3_BUCKET, s3TestServer } from '../helpers/s3';
import { addUser, cairn, startTeamServer, type TeamServer } from '../helpers/team-server';
import { raw } from '../helpers/server-process';

const db = pgTestDatabase();
const s3 = s3TestServer();
const schema = 'auth';
let server: TeamServer;
let dbUrl: string;
const tokens: Record<string, string> = {};

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'OK';
  } catch (err) {
    if (err instanceof BackendError) return err.code;
    throw err;
  }
};

describe('team backend: users, tokens and roles', () => {
  before(async () => {
    dbUrl = await db.ready();
    tokens['admin'] = await addUser(dbUrl, schema, 'admin', 'admin');
    tokens['wanda'] = await addUser(dbUrl, schema, 'wanda', 'writer', 'wanda-secret-pw');
    tokens['rita'] = await addUser(dbUrl, schema, 'rita', 'reader');
    server = await startTeamServer({ db: dbUrl, schema, objects: `s3://${S3_BUCKET}/team-auth`, env: await s3.ready() });
  });
  after(async () => {
    await server?.stop();
    if (server && /internal error/.test(server.stderr())) throw new Error(`the server logged internal errors:\n${server.stderr()}`);
  });

  it('refuses requests without valid credentials and accepts Bearer and Basic (token or password)', async () => {
    const path = '/api/cairn/v1/whoami';
    assert.equal((await raw({ url: server.url, token: '' }, 'GET', path, { token: null })).status, 401);
    assert.equal((await raw({ url: server.url, token: 'cairn_000000000000_nope-nope-nope-nope-nope-nope-nope' }, 'GET', path)).status, 401);
    assert.deepEqual((await server.client(tokens['wanda']!).call<WhoAmI>('GET', path)), { user: 'wanda', role: 'writer' });
    const viaBasicToken = await raw({ url: server.url, token: '' }, 'GET', path, { token: null, headers: { Authorization: basic('wanda', tokens['wanda']!) } });
    assert.deepEqual(viaBasicToken.json, { user: 'wanda', role: 'writer' });
    const viaPassword = await raw({ url: server.url, token: '' }, 'GET', path, { token: null, headers: { Authorization: basic('wanda', 'wanda-secret-pw') } });
    assert.deepEqual(viaPassword.json, { user: 'wanda', role: 'writer' });
    const wrongUser = await raw({ url: server.url, token: '' }, 'GET', path, { token: null, headers: { Authorization: basic('rita', tokens['wanda']!) } });
    assert.equal(wrongUser.status, 401, "a token only works with its own user's name");
    const wrongPassword = await raw({ url: server.url, token: '' }, 'GET', path, { token: null, headers: { Authorization: basic('wanda', 'not-the-password') } });
    assert.equal(wrongPassword.status, 401);
    assert.equal((await raw({ url: server.url, token: '' }, 'GET', '/health', { token: null })).status, 200);
  });

  it('lets a reader read and search but not write; writers write; only admins administer', async () => {
    const writer = server.client(tokens['wanda']!);
    const reader = server.client(tokens['rita']!);
    const exp = await writer.createExperiment('roles');
    const run = await writer.createRun({ experimentId: exp, runName: 'r1' });
    await writer.logBatch(run.info.run_id, { metrics: [{ key: 'acc', value: 0.9, timestamp: 1, step: 1 }], params: [{ key: 'lr', value: '0.1' }] });
    assert.equal((await reader.getRun(run.info.run_id)).data.params[0]?.value, '0.1');
    assert.equal((await reader.searchRuns({ experiment_ids: [exp], filter: 'metrics.acc > 0.5' })).runs.length, 1, 'runs/search is a POST but a read');
    assert.equal(await code(reader.createExperiment('nope')), 'PERMISSION_DENIED');
    assert.equal(await code(reader.logBatch(run.info.run_id, { params: [{ key: 'x', value: '1' }] })), 'PERMISSION_DENIED');
    assert.equal(await code(reader.uploadArtifact(run.info, 'a.txt', 'x')), 'PERMISSION_DENIED');
    assert.equal(await code(writer.call('GET', '/api/cairn/v1/admin/users')), 'PERMISSION_DENIED');
    const users = await server.client(tokens['admin']!).call<{ users: { name: string; role: string }[] }>('GET', '/api/cairn/v1/admin/users');
    assert.deepEqual(users.users.map((u) => `${u.name}:${u.role}`), ['admin:admin', 'rita:reader', 'wanda:writer']);
  });

  it('records who made every write in the audit log', async () => {
    const writer = server.client(tokens['wanda']!);
    const exp = await writer.createExperiment('audited');
    const run = await writer.createRun({ experimentId: exp, runName: 'a1' });
    await writer.logBatch(run.info.run_id, { params: [{ key: 'p', value: '1' }] });
    const created = await writer.mlflow<{ registered_model: { user_id: string } }>('POST', 'registered-models/create', { name: 'audited-model' });
    assert.equal(created.registered_model.user_id, 'wanda', 'the model records its creator');
    const audit = await server.client(tokens['admin']!).call<{ entries: AuditEntry[] }>('GET', '/api/cairn/v1/admin/audit', { actor: 'wanda' });
    const actions = audit.entries.map((e) => `${e.action} ${e.target}`);
    for (const expected of ['experiment.create audited', `run.create ${run.info.run_id}`, `run.log-batch ${run.info.run_id}`, 'model.create audited-model']) {
      assert.ok(actions.includes(expected), `audit log has '${expected}': ${actions.join(', ')}`);
    }
    assert.ok(audit.entries.every((e) => e.actor === 'wanda' && e.role === 'writer'));
    const cli = await server.client(tokens['admin']!).call<{ entries: AuditEntry[] }>('GET', '/api/cairn/v1/admin/audit', { actor: 'rita' });
    assert.equal(cli.entries.length, 0, 'the reader wrote nothing');
  });

  it('stores artifacts in S3 through the artifact proxy', async () => {
    const writer = server.client(tokens['wanda']!);
    const run = await writer.createRun({ experimentId: '0', runName: 'with-artifacts' });
    const big = Buffer.alloc(3 * 1024 * 1024 + 3, 9);
    await writer.uploadArtifact(run.info, 'model/weights.bin', big);
    const root = run.info.artifact_uri.replace('mlflow-artifacts:/', '');
    const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${root}/model/weights.bin`, { headers: writer.headers() });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), big);
  });

  it('stops accepting a revoked token and a revoked user at once', async () => {
    const extra = await cairn(['tokens', 'create', 'wanda', '--label', 'laptop', '--db', dbUrl, '--db-schema', schema]);
    assert.equal(extra.code, 0, extra.stderr);
    const token = /: (cairn_\S+)/.exec(extra.stdout)![1]!;
    const client = server.client(token);
    assert.equal((await client.call<WhoAmI>('GET', '/api/cairn/v1/whoami')).user, 'wanda');
    const revoked = await cairn(['tokens', 'revoke', token, '--db', dbUrl, '--db-schema', schema]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(await code(client.call('GET', '/api/cairn/v1/whoami')), 'UNAUTHENTICATED');
    assert.equal((await server.client(tokens['wanda']!).call<WhoAmI>('GET', '/api/cairn/v1/whoami')).user, 'wanda', 'her other token still works');
    assert.equal((await cairn(['users', 'revoke', 'rita', '--db', dbUrl, '--db-schema', schema])).code, 0);
    assert.equal(await code(server.client(tokens['rita']!).call('GET', '/api/cairn/v1/whoami')), 'UNAUTHENTICATED');
    const list = await cairn(['users', 'list', '--db', dbUrl, '--db-schema', schema]);
    assert.match(list.stdout, /rita\s+reader\s+no\s+0\s+\S+\s+\d{4}-/);
  });

  it('opens the dashboard with a personal token (traded for a cookie) and refuses others', async () => {
    const anon = { url: server.url, token: '' };
    const signIn = await raw(anon, 'GET', `/?token=${encodeURIComponent(tokens['wanda']!)}`, { token: null });
    assert.equal(signIn.status, 303);
    const cookie = String(signIn.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    assert.match(cookie, /^cairn_token=/);
    const page = await raw(anon, 'GET', '/', { token: null, headers: { Cookie: cookie } });
    assert.equal(page.status, 200);
    assert.match(page.text, /dashboard\.js/);
    const api = await raw(anon, 'GET', '/api/cairn/v1/whoami', { token: null, headers: { Cookie: cookie } });
    assert.deepEqual(api.json, { user: 'wanda', role: 'writer' }, 'the cookie signs the dashboard\'s API calls in as its user');
    assert.equal((await raw(anon, 'GET', '/?token=cairn_000000000000_nope-nope-nope-nope-nope-nope-nope', { token: null })).status, 401);
    assert.equal((await raw(anon, 'GET', `/?token=${encodeURIComponent(tokens['rita']!)}`, { token: null })).status, 401, 'a revoked user cannot sign in');
    const form = await raw(anon, 'GET', '/', { token: null });
    assert.equal(form.status, 401);
    assert.doesNotMatch(form.text, /dashboard\.js/, 'no dashboard without signing in');
  });

  it('refuses to start a team backend nobody can sign in to, and --insecure-no-auth off loopback', async () => {
    await assert.rejects(startTeamServer({ db: dbUrl, schema: 'nobody' }), /no user who can sign in[\s\S]*cairn users add admin --role admin/);
    await assert.rejects(startTeamServer({ db: dbUrl, schema: 'nobody', args: ['--host', '0.0.0.0', '--insecure-no-auth'] }), /only allowed on a loopback address/);
    const open = await startTeamServer({ db: dbUrl, schema: 'nobody', args: ['--insecure-no-auth'] });
    try {
      assert.equal((await raw({ url: open.url, token: '' }, 'GET', '/api/cairn/v1/whoami', { token: null })).json?.['user'], 'anonymous');
    } finally {
      await open.stop();
    }
  });
});
