import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { DataPointer } from '../../backend/api/data';
import { parsePointer } from '../../backend/data/pointer';
import { runCli } from '../helpers/cli';
import { commitAll, git, initRepo } from '../helpers/git-repo';
import { raw, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir('cairn-transfer-');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out[path.relative(dir, path.join(f.parentPath, f.name))] = sha(fs.readFileSync(path.join(f.parentPath, f.name)));
  }
  return out;
}

const pointerOf = (file: string): DataPointer => parsePointer(fs.readFileSync(file, 'utf8'), file);
const objectFiles = (store: string) =>
  fs.existsSync(path.join(store, 'objects')) ? fs.readdirSync(path.join(store, 'objects')).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => fs.readdirSync(path.join(store, 'objects', d))) : [];

describe('cairn data push/pull between two real backend processes', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  const origin = path.join(root, 'origin');
  const remoteArgs = (s: ServerProcess) => ['--remote', s.url, '--token', s.token];

  before(async () => {
    [a, b] = await Promise.all([startServerProcess(path.join(root, 'server-a')), startServerProcess(path.join(root, 'server-b'))]);
    initRepo(origin);
    fs.mkdirSync(path.join(origin, 'data/images/nested'), { recursive: true });
    for (let i = 0; i < 500; i++) fs.writeFileSync(path.join(origin, `data/images/${i % 5 === 0 ? 'nested/' : ''}img${i}.bin`), Buffer.alloc(100 + i, i % 251));
    fs.writeFileSync(path.join(origin, 'data/images/large.bin'), Buffer.alloc(3 << 20, 9));
    fs.copyFileSync(path.join(process.env['CAIRN_ROOT'] ?? process.cwd(), 'node_modules/vega-datasets/data/seattle-weather.csv'), path.join(origin, 'data/weather.csv'));
    const add = await runCli(['data', 'add', 'data/images', 'data/weather.csv'], { cwd: origin });
    assert.equal(add.code, 0, add.stderr);
    commitAll(origin, 'data');
  });

  it('pushes only what the backend lacks, registers the datasets, and a second push sends nothing', async () => {
    const first = await runCli(['data', 'push', '--json', ...remoteArgs(a)], { cwd: origin });
    assert.equal(first.code, 0, first.stderr);
    const r1 = JSON.parse(first.stdout) as { objects: number; uploaded: number; alreadyThere: number; datasets: number };
    assert.equal(r1.objects, 503, '501 files, the manifest and the CSV');
    assert.equal(r1.uploaded, 503);
    assert.equal(r1.datasets, 2);
    assert.equal(objectFiles(path.join(root, 'server-a')).length, 503);
    const second = JSON.parse((await runCli(['data', 'push', '--json', ...remoteArgs(a)], { cwd: origin })).stdout) as typeof r1;
    assert.deepEqual([second.uploaded, second.alreadyThere], [0, 503]);
    const datasets = await a.client.listDatasets();
    assert.deepEqual(datasets.map((d) => d.name), ['data/images', 'data/weather.csv']);
    const weather = await a.client.getDataset('data/weather.csv');
    assert.equal(weather[0]!.hash, pointerOf(path.join(origin, 'data/weather.csv.cairn')).hash);
    assert.equal(weather[0]!.git_commit, git(origin, 'rev-parse', 'HEAD').trim());
    assert.equal(weather[0]!.tabular?.rows, 1461);
  });

  it('pulls into a fresh clone byte for byte, pushes it on to the second backend, and pulls from there', async () => {
    const clone = path.join(root, 'clone');
    git(root, 'clone', '-q', origin, clone);
    const pulled = await runCli(['data', 'pull', '--json', ...remoteArgs(a)], { cwd: clone });
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.equal((JSON.parse(pulled.stdout) as { downloaded: number }).downloaded, 503);
    assert.deepEqual(tree(path.join(clone, 'data')), tree(path.join(origin, 'data')));
    const toB = await runCli(['data', 'push', '--json', ...remoteArgs(b)], { cwd: clone });
    assert.equal((JSON.parse(toB.stdout) as { uploaded: number }).uploaded, 503, toB.stderr);
    const third = path.join(root, 'third');
    git(root, 'clone', '-q', origin, third);
    // From a subfolder: the path is relative to it, and the checkout after the fetch must agree.
    const fromB = await runCli(['data', 'pull', 'images', ...remoteArgs(b)], { cwd: path.join(third, 'data') });
    assert.equal(fromB.code, 0, fromB.stderr);
    assert.deepEqual(tree(path.join(third, 'data/images')), tree(path.join(origin, 'data/images')));
    assert.equal(fs.existsSync(path.join(third, 'data/weather.csv')), false, 'only the path asked for');
  });

  it('resumes an interrupted push: the second push sends only what the first did not', async () => {
    const work = path.join(root, 'resume');
    initRepo(work);
    fs.mkdirSync(path.join(work, 'big'));
    for (let i = 0; i < 24; i++) fs.writeFileSync(path.join(work, `big/part${i}.bin`), Buffer.alloc(2 << 20, i));
    assert.equal((await runCli(['data', 'add', 'big'], { cwd: work })).code, 0);
    const store = path.join(root, 'server-b');
    const before = objectFiles(store).length;
    let killed = false;
    const first = await runCli(['data', 'push', '--jobs', '1', ...remoteArgs(b)], { cwd: work }, (child) => {
      const poll = setInterval(() => {
        if (objectFiles(store).length - before >= 3) {
          clearInterval(poll);
          killed = child.kill('SIGKILL');
        }
      }, 5);
      child.on('close', () => clearInterval(poll));
    });
    assert.equal(killed, true, `the push was interrupted (exit ${first.code}: ${first.stderr})`);
    const sentBefore = objectFiles(store).length - before;
    assert.ok(sentBefore >= 3 && sentBefore < 25, `${sentBefore} objects arrived before the kill`);
    const second = await runCli(['data', 'push', '--json', ...remoteArgs(b)], { cwd: work });
    assert.equal(second.code, 0, second.stderr);
    const r = JSON.parse(second.stdout) as { objects: number; uploaded: number; alreadyThere: number };
    assert.equal(r.objects, 25);
    assert.equal(r.alreadyThere, sentBefore, 'what arrived before the kill is not sent again');
    assert.equal(r.uploaded, 25 - sentBefore);
    assert.equal(objectFiles(store).length - before, 25);
  });

  it('resumes a partial download and verifies every object on arrival', async () => {
    const clone = path.join(root, 'partial');
    git(root, 'clone', '-q', origin, clone);
    const large = sha(Buffer.alloc(3 << 20, 9));
    const partialDir = path.join(clone, '.cairn/objects/partial');
    fs.mkdirSync(partialDir, { recursive: true });
    fs.writeFileSync(path.join(partialDir, large), Buffer.alloc(2 << 20, 9));
    const r = await runCli(['data', 'pull', '--json', ...remoteArgs(a)], { cwd: clone });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { bytes: number };
    const smallBytes = 500 * 100 + (499 * 500) / 2 + fs.statSync(path.join(origin, 'data/weather.csv')).size;
    assert.ok(report.bytes < smallBytes + (3 << 20) - (1 << 20), `only the missing third of the large object was downloaded (${report.bytes} bytes)`);
    assert.deepEqual(tree(path.join(clone, 'data')), tree(path.join(origin, 'data')));

    // A backend whose copy went bad: the pull refuses the bytes.
    const weatherHash = pointerOf(path.join(origin, 'data/weather.csv.cairn')).hash;
    const onA = path.join(root, 'server-a/objects', weatherHash.slice(0, 2), weatherHash.slice(2));
    const good = fs.readFileSync(onA);
    fs.chmodSync(onA, 0o644);
    fs.writeFileSync(onA, Buffer.concat([good.subarray(0, 100), Buffer.from('X'), good.subarray(101)]));
    const fresh = path.join(root, 'verify-on-arrival');
    git(root, 'clone', '-q', origin, fresh);
    const bad = await runCli(['data', 'pull', 'data/weather.csv', ...remoteArgs(a)], { cwd: fresh });
    fs.writeFileSync(onA, good);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /content hash mismatch|arrived with other bytes/);
    assert.equal(fs.existsSync(path.join(fresh, '.cairn/objects', weatherHash.slice(0, 2), weatherHash.slice(2))), false, 'nothing kept');
  });

  it('validates hashes strictly and keeps nothing that does not match', async () => {
    const body = Buffer.from('some bytes');
    const wrong = sha(Buffer.from('other bytes'));
    const put = await raw(a, 'PUT', `/api/cairn/v1/objects/${wrong}`, { body });
    assert.equal(put.status, 400);
    assert.match(String(put.json?.['message']), /hash mismatch/);
    assert.equal((await raw(a, 'GET', `/api/cairn/v1/objects/${wrong}`)).status, 404);
    assert.equal((await raw(a, 'PUT', `/api/cairn/v1/objects/${sha(body).toUpperCase()}`, { body })).status, 400, 'uppercase is not a hash');
    assert.equal((await raw(a, 'GET', '/api/cairn/v1/objects/%2e%2e')).status, 400);
    const traversal = await raw(a, 'GET', '/api/cairn/v1/objects/..%2f..%2fserver.json');
    assert.ok(traversal.status === 400 || traversal.status === 404, `refused (${traversal.status})`);
    assert.equal(traversal.text.includes(a.token), false);
    const missing = await raw(a, 'POST', '/api/cairn/v1/objects/missing', { body: JSON.stringify({ hashes: ['abc'] }), headers: { 'Content-Type': 'application/json' } });
    assert.equal(missing.status, 400);
    const ok = await raw(a, 'PUT', `/api/cairn/v1/objects/${sha(body)}`, { body });
    assert.equal(ok.status, 200);
    const ranged = await raw(a, 'GET', `/api/cairn/v1/objects/${sha(body)}`, { headers: { Range: 'bytes=5-' } });
    assert.deepEqual([ranged.status, ranged.text], [206, 'bytes']);
    const badVersion = await raw(a, 'POST', '/api/cairn/v1/datasets/versions', { body: JSON.stringify({ versions: [{ name: 'x', hash: 'nothex', kind: 'file', size: 1, files: 1 }] }), headers: { 'Content-Type': 'application/json' } });
    assert.equal(badVersion.status, 400);
    assert.equal((await raw(a, 'GET', '/api/cairn/v1/datasets/no/such/dataset')).status, 404);
    assert.equal((await raw(a, 'GET', `/api/cairn/v1/objects/${sha(body)}`, { token: null })).status, 401);
  });
});
