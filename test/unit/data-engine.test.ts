import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { addData } from '../../backend/data/add';
import { checkoutData } from '../../backend/data/checkout';
import { diffData } from '../../backend/data/diff';
import { gcData } from '../../backend/data/gc';
import { dataLog } from '../../backend/data/log';
import { readPointer } from '../../backend/data/pointer';
import { datasetInputsForRun } from '../../backend/data/run-inputs';
import { dataStatus } from '../../backend/data/status';
import { verifyData } from '../../backend/data/verify';
import { openWorkspace, type DataWorkspace } from '../../backend/data/workspace';
import { commitAll, git, initRepo } from '../helpers/git-repo';
import { rejectsWithCode, tmpDir } from '../helpers/tmp';

const root = tmpDir('cairn-data-');
const WEATHER = path.join(process.env['CAIRN_ROOT'] ?? process.cwd(), 'node_modules/vega-datasets/data/seattle-weather.csv');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let n = 0;

/** A git repository with one commit. `durable: false` skips fsync (the 10,000-file test; durability has its own tests). */
async function repo(durable = true): Promise<{ dir: string; ws: DataWorkspace; at: (p: string) => string }> {
  const dir = path.join(root, `r${n++}`);
  initRepo(dir);
  fs.writeFileSync(path.join(dir, 'README.md'), 'x\n');
  commitAll(dir, 'init');
  return { dir, ws: await openWorkspace(dir, durable ? {} : { CAIRN_FSYNC: '0' }), at: (p) => path.join(dir, p) };
}

/** Every file under `dir` → sha256, by relative path. */
function digestTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const abs = path.join(f.parentPath, f.name);
    out[path.relative(dir, abs)] = sha(fs.readFileSync(abs));
  }
  return out;
}

describe('cairn data engine', () => {
  it('round-trips a file: pointer with hash, size and table schema; git-ignored; restored byte for byte', async () => {
    const { dir, ws, at } = await repo();
    fs.mkdirSync(at('data'));
    fs.copyFileSync(WEATHER, at('data/weather.csv'));
    const original = fs.readFileSync(at('data/weather.csv'));
    const [r] = await addData(ws, ['data/weather.csv'], { cwd: dir });
    assert.equal(r!.pointer, 'data/weather.csv.cairn');
    const p = readPointer(ws, 'data/weather.csv.cairn');
    assert.equal(p.hash, sha(original));
    assert.equal(p.size, original.length);
    assert.equal(p.tabular?.rows, 1461);
    assert.deepEqual(p.tabular?.columns.map((c) => [c.name, c.type]), [['date', 'date'], ['precipitation', 'number'], ['temp_max', 'number'], ['temp_min', 'number'], ['wind', 'number'], ['weather', 'string']]);
    assert.equal(p.tabular?.columns.find((c) => c.name === 'weather')?.distinct, 5);
    assert.equal(git(dir, 'check-ignore', 'data/weather.csv').trim(), 'data/weather.csv', 'the data is git-ignored');
    assert.equal(git(dir, 'status', '--porcelain', '--untracked-files=all', '--', 'data').includes('weather.csv.cairn'), true, 'the pointer is for git');
    fs.rmSync(at('data/weather.csv'));
    assert.equal((await dataStatus(ws, [], { cwd: dir })).entries[0]!.state, 'missing');
    await checkoutData(ws, [], { cwd: dir });
    assert.deepEqual(fs.readFileSync(at('data/weather.csv')), original);
    assert.equal((await dataStatus(ws, [], { cwd: dir })).entries[0]!.state, 'clean');
  });

  it('round-trips 10,000 small files; a changed file re-stores only itself and unchanged files are not re-read', async () => {
    const { dir, ws, at } = await repo(false);
    fs.mkdirSync(at('imgs/a/b'), { recursive: true });
    for (let i = 0; i < 10_000; i++) fs.writeFileSync(at(`imgs/${i % 3 === 0 ? 'a/b/' : ''}f${i}.txt`), `file ${i}\n`.repeat((i % 7) + 1));
    const before = digestTree(at('imgs'));
    const [first] = await addData(ws, ['imgs'], { cwd: dir });
    assert.equal(first!.pointerData.kind, 'dir');
    assert.equal(first!.pointerData.files, 10_000);
    assert.equal(first!.storedObjects, 10_001, '10,000 files and the manifest');
    await new Promise((r) => setTimeout(r, 60)); // past the racy-timestamp window, so the stat cache trusts every entry
    const [again] = await addData(ws, ['imgs'], { cwd: dir });
    assert.equal(again!.hashedFiles, 0, 'nothing re-read');
    assert.equal(again!.changed, false);
    fs.writeFileSync(at('imgs/f5.txt'), 'changed\n');
    const [changed] = await addData(ws, ['imgs'], { cwd: dir });
    assert.equal(changed!.hashedFiles, 1);
    assert.equal(changed!.storedObjects, 2, 'the changed file and the new manifest');
    fs.rmSync(at('imgs'), { recursive: true });
    await checkoutData(ws, ['imgs'], { cwd: dir });
    const after = digestTree(at('imgs'));
    assert.equal(Object.keys(after).length, 10_000);
    assert.deepEqual({ ...after, 'f5.txt': before['f5.txt'] }, before);
    assert.equal(after['f5.txt'], sha(Buffer.from('changed\n')));
  });

  it('reports modified, missing and untracked files of a folder, and never discards unsaved changes without --force', async () => {
    const { dir, ws, at } = await repo();
    fs.mkdirSync(at('d/sub'), { recursive: true });
    for (const f of ['1', '2', 'sub/3']) fs.writeFileSync(at(`d/${f}`), f);
    await addData(ws, ['d'], { cwd: dir });
    fs.writeFileSync(at('d/1'), 'edited');
    fs.rmSync(at('d/sub/3'));
    fs.writeFileSync(at('d/new'), 'new');
    const [e] = (await dataStatus(ws, [], { cwd: dir })).entries;
    assert.deepEqual([e!.state, e!.changed, e!.missing, e!.untracked], ['modified', ['1'], ['sub/3'], ['new']]);
    const err = await rejectsWithCode(checkoutData(ws, ['d'], { cwd: dir }), 'RESOURCE_CONFLICT');
    assert.match(err.message, /d\/1/);
    assert.equal(fs.readFileSync(at('d/1'), 'utf8'), 'edited', 'nothing touched');
    await checkoutData(ws, ['d'], { cwd: dir, force: true });
    assert.deepEqual(digestTree(at('d')), { '1': sha(Buffer.from('1')), '2': sha(Buffer.from('2')), 'sub/3': sha(Buffer.from('sub/3')) });
  });

  it('checks out the exact bytes of an older git revision and writes that pointer; data log lists both', async () => {
    const { dir, ws, at } = await repo();
    fs.writeFileSync(at('model.bin'), 'version one');
    await addData(ws, ['model.bin'], { cwd: dir });
    const c1 = commitAll(dir, 'v1');
    fs.writeFileSync(at('model.bin'), 'version two, longer');
    await addData(ws, ['model.bin'], { cwd: dir });
    commitAll(dir, 'v2');
    const [r] = await checkoutData(ws, ['model.bin'], { cwd: dir, rev: 'HEAD~1' });
    assert.equal(r!.pointerUpdated, true);
    assert.equal(fs.readFileSync(at('model.bin'), 'utf8'), 'version one');
    assert.equal(git(dir, 'diff', '--quiet', c1, '--', 'model.bin.cairn'), '', 'the pointer is v1 again');
    const log = await dataLog(ws, 'model.bin', { cwd: dir });
    assert.deepEqual(log.map((l) => l.subject), ['v2', 'v1']);
    await checkoutData(ws, [], { cwd: dir, rev: 'main' });
    assert.equal(fs.readFileSync(at('model.bin'), 'utf8'), 'version two, longer');
    await rejectsWithCode(checkoutData(ws, [], { cwd: dir, rev: 'no-such-branch' }), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('detects a corrupt object, quarantines it, refuses to check it out, and recovers from an intact copy', async () => {
    const { dir, ws, at } = await repo();
    fs.writeFileSync(at('big.bin'), Buffer.alloc(3 << 20, 7));
    fs.writeFileSync(at('small.txt'), 'small');
    await addData(ws, ['big.bin', 'small.txt'], { cwd: dir });
    const p = readPointer(ws, 'big.bin.cairn');
    const obj = ws.objects.pathOf(p.hash);
    fs.chmodSync(obj, 0o644);
    const fd = fs.openSync(obj, 'r+');
    fs.writeSync(fd, Buffer.from([8]), 0, 1, 12345);
    fs.closeSync(fd);
    fs.rmSync(at('big.bin'));
    await rejectsWithCode(checkoutData(ws, ['big.bin'], { cwd: dir }), 'INVALID_STATE');
    assert.equal(fs.existsSync(at('big.bin')), false, 'corrupt bytes were not restored');
    const report = await verifyData(ws, [], { cwd: dir });
    assert.equal(report.corrupt.length, 1);
    assert.equal(report.corrupt[0]!.hash, p.hash);
    assert.deepEqual(report.corrupt[0]!.paths, ['big.bin']);
    assert.equal(fs.existsSync(obj), false, 'moved out of the store');
    assert.equal(fs.existsSync(report.corrupt[0]!.quarantined), true);
    fs.writeFileSync(at('big.bin'), Buffer.alloc(3 << 20, 7));
    await addData(ws, ['big.bin'], { cwd: dir });
    const clean = await verifyData(ws, [], { cwd: dir, workspace: true });
    assert.deepEqual([clean.corrupt, clean.missing, clean.workspace], [[], [], []]);
  });

  it('diffs tables (rows, added and removed rows, schema, statistics) and folders', async () => {
    const { dir, ws, at } = await repo();
    fs.writeFileSync(at('t.csv'), 'id,score,name\n1,0.5,a\n2,0.7,b\n3,0.9,c\n');
    fs.mkdirSync(at('f'));
    fs.writeFileSync(at('f/keep'), 'k');
    fs.writeFileSync(at('f/gone'), 'g');
    fs.writeFileSync(at('f/t.csv'), 'x\n1\n');
    await addData(ws, ['t.csv', 'f'], { cwd: dir });
    commitAll(dir, 'v1');
    fs.writeFileSync(at('t.csv'), 'id,score,name,extra\n1,0.5,a,x\n2,high,b,y\n4,1.5,d,z\n5,2.5,e,w\n');
    fs.rmSync(at('f/gone'));
    fs.writeFileSync(at('f/new'), 'n');
    fs.writeFileSync(at('f/t.csv'), 'x\n1\n2\n');
    const t = await diffData(ws, 't.csv', undefined, undefined, { cwd: dir });
    assert.equal(t.a, 'HEAD');
    assert.equal(t.b, 'workspace');
    const tab = t.files[0]!.tabular!;
    assert.deepEqual([tab.rows_a, tab.rows_b, tab.rows_added, tab.rows_removed], [3, 4, 4, 3], 'the header changed, so every row differs');
    assert.deepEqual(tab.schema, [
      { column: 'score', change: 'type', from: 'number', to: 'mixed' },
      { column: 'extra', change: 'added', to: 'string' },
    ]);
    assert.equal(tab.columns.find((c) => c.column === 'id')!.b!.max, 5);
    const f = await diffData(ws, 'f', 'HEAD', undefined, { cwd: dir });
    assert.deepEqual(f.files.map((x) => [x.path, x.change]), [['gone', 'removed'], ['new', 'added'], ['t.csv', 'changed']]);
    assert.deepEqual([f.files[2]!.tabular!.rows_a, f.files[2]!.tabular!.rows_b, f.files[2]!.tabular!.rows_added], [1, 2, 1]);
    assert.equal((await diffData(ws, 'f', 'HEAD', 'HEAD', { cwd: dir })).identical, true);
  });

  it('profiles JSONL and Parquet files', async () => {
    const { dir, ws, at } = await repo();
    fs.writeFileSync(at('rows.jsonl'), '{"a":1,"b":"x"}\n{"a":2.5,"c":true}\n\n{"a":null,"b":"y"}\n');
    fs.copyFileSync(path.join(path.dirname(WEATHER), 'flights-3m.parquet'), at('flights.parquet'));
    const [j, pq] = await addData(ws, ['rows.jsonl', 'flights.parquet'], { cwd: dir });
    assert.equal(j!.pointerData.tabular!.rows, 3);
    assert.deepEqual(j!.pointerData.tabular!.columns.map((c) => [c.name, c.type, c.nulls]), [['a', 'number', 1], ['b', 'string', 1], ['c', 'boolean', 2]]);
    const t = pq!.pointerData.tabular!;
    assert.equal(t.format, 'parquet');
    assert.equal(t.rows, 3_000_000);
    assert.deepEqual(t.columns.map((c) => [c.name, c.type]), [['date', 'date'], ['delay', 'integer'], ['distance', 'integer'], ['origin', 'string'], ['destination', 'string']]);
  });

  it('collects only unreferenced versions it stored; history keeps old versions unless workspace-only', async () => {
    const { dir, ws, at } = await repo();
    fs.writeFileSync(at('d.bin'), 'one');
    await addData(ws, ['d.bin'], { cwd: dir });
    commitAll(dir, 'one');
    fs.writeFileSync(at('d.bin'), 'two');
    await addData(ws, ['d.bin'], { cwd: dir });
    fs.writeFileSync(at('d.bin'), 'three');
    await addData(ws, ['d.bin'], { cwd: dir });
    const unrelated = await ws.objects.put(Buffer.from('an artifact, not data'));
    const r1 = await gcData(ws, {});
    assert.equal(r1.removed, 1, '"two" was never committed and is not in use');
    assert.equal(fs.existsSync(ws.objects.pathOf(sha(Buffer.from('one')))), true, 'kept: committed in history');
    assert.equal(fs.existsSync(ws.objects.pathOf(sha(Buffer.from('two')))), false);
    const r2 = await gcData(ws, { workspaceOnly: true, inUse: async (h) => new Set(h.filter((x) => x === sha(Buffer.from('one')) && false)) });
    assert.equal(r2.removed, 1);
    assert.equal(fs.existsSync(ws.objects.pathOf(sha(Buffer.from('one')))), false);
    assert.equal(fs.existsSync(ws.objects.pathOf(sha(Buffer.from('three')))), true);
    assert.equal(await ws.objects.has(unrelated.hash), true, 'objects data versioning did not write are never collected');
  });

  it('keeps objects the backend says are in use', async () => {
    const { dir, ws, at } = await repo();
    fs.writeFileSync(at('d.bin'), 'used by a run');
    await addData(ws, ['d.bin'], { cwd: dir });
    const used = sha(Buffer.from('used by a run'));
    fs.writeFileSync(at('d.bin'), 'newer');
    await addData(ws, ['d.bin'], { cwd: dir });
    const r = await gcData(ws, { inUse: async (hashes) => new Set(hashes.filter((h) => h === used)) });
    assert.equal(r.removed, 0);
    assert.equal(fs.existsSync(ws.objects.pathOf(used)), true);
  });

  it('gives cairn run the version of every tracked dataset, warning about modified and missing ones', async () => {
    const { dir, ws, at } = await repo();
    fs.copyFileSync(WEATHER, at('w.csv'));
    fs.writeFileSync(at('m.txt'), 'm');
    fs.writeFileSync(at('gone.txt'), 'g');
    await addData(ws, ['w.csv', 'm.txt', 'gone.txt'], { cwd: dir });
    commitAll(dir, 'data');
    fs.writeFileSync(at('m.txt'), 'modified');
    fs.rmSync(at('gone.txt'));
    const r = await datasetInputsForRun(dir);
    assert.deepEqual(r.inputs.map((i) => i.dataset.name), ['gone.txt', 'm.txt', 'w.csv']);
    const w = r.inputs[2]!;
    const source = JSON.parse(w.dataset.source) as { hash: string; path: string };
    assert.equal(source.hash, sha(fs.readFileSync(WEATHER)));
    assert.equal(w.dataset.digest, source.hash.slice(0, 32));
    assert.equal(w.dataset.source_type, 'cairn');
    assert.equal(JSON.parse(w.dataset.profile!).num_rows, 1461);
    assert.deepEqual(r.inputs.map((i) => i.tags[0]!.value), ['missing', 'modified', 'clean']);
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings.join('\n'), /m\.txt was modified since it was added/);
    assert.match(r.warnings.join('\n'), /gone\.txt is missing/);
    assert.equal(r.versions.find((v) => v.name === 'w.csv')!.git_commit, git(dir, 'rev-parse', 'HEAD').trim());
  });

  it('checks out read-only hard links on request, and every worktree of a repository shares one store', async () => {
    const { dir, ws, at } = await repo();
    fs.writeFileSync(at('w.bin'), 'linked content');
    const [r] = await addData(ws, ['w.bin'], { cwd: dir });
    commitAll(dir, 'w');
    fs.rmSync(at('w.bin'));
    await checkoutData(ws, ['w.bin'], { cwd: dir, link: true });
    const st = fs.statSync(at('w.bin'));
    assert.equal(st.ino, fs.statSync(ws.objects.pathOf(r!.pointerData.hash)).ino, 'the store object itself');
    assert.equal(st.mode & 0o222, 0, 'read-only');
    assert.equal((await dataStatus(ws, [], { cwd: dir })).entries[0]!.state, 'clean');
    const wt = path.join(root, `wt${n++}`);
    git(dir, 'worktree', 'add', '-q', '--detach', wt, 'HEAD');
    const other = await openWorkspace(wt, {});
    assert.equal(other.storeDir, path.join(fs.realpathSync(dir), '.cairn'));
    await checkoutData(other, [], { cwd: wt });
    assert.equal(fs.readFileSync(path.join(wt, 'w.bin'), 'utf8'), 'linked content');
  });

  it('refuses paths outside the workspace, nested tracking and files git already tracks', async () => {
    const { dir, ws, at } = await repo();
    fs.mkdirSync(at('d'));
    fs.writeFileSync(at('d/x'), 'x');
    await rejectsWithCode(addData(ws, ['../elsewhere'], { cwd: dir }), 'INVALID_PARAMETER_VALUE');
    await rejectsWithCode(addData(ws, ['.cairn'], { cwd: dir }), 'INVALID_PARAMETER_VALUE');
    await rejectsWithCode(addData(ws, ['README.md'], { cwd: dir }), 'INVALID_PARAMETER_VALUE');
    await addData(ws, ['d'], { cwd: dir });
    await rejectsWithCode(addData(ws, ['d/x'], { cwd: dir }), 'INVALID_PARAMETER_VALUE');
    await rejectsWithCode(addData(ws, ['missing-file'], { cwd: dir }), 'RESOURCE_DOES_NOT_EXIST');
  });
});
