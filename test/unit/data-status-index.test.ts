import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { addData } from '../../backend/data/add';
import { FolderIndex, FolderStamps } from '../../backend/data/folder-index';
import { readPointer } from '../../backend/data/pointer';
import { RACY_MS } from '../../backend/data/stat-cache';
import { dataStatus } from '../../backend/data/status';
import { openWorkspace, type DataWorkspace } from '../../backend/data/workspace';
import { commitAll, initRepo } from '../helpers/git-repo';
import { tmpDir } from '../helpers/tmp';

const root = tmpDir('cairn-data-status-');
let n = 0;
/** Longer than the racy-timestamp window (RACY_MS) plus a coarse clock tick. */
const pastRacyWindow = () => new Promise((r) => setTimeout(r, 80));

/** A repository with a tracked folder `imgs` of `count` files written before the racy window. */
async function tracked(count = 200): Promise<{ dir: string; ws: DataWorkspace; at: (p: string) => string; hash: () => string }> {
  const dir = path.join(root, `r${n++}`);
  initRepo(dir);
  fs.writeFileSync(path.join(dir, 'README.md'), 'x\n');
  commitAll(dir, 'init');
  const ws = await openWorkspace(dir, { CAIRN_FSYNC: '0' });
  const at = (p: string) => path.join(dir, p);
  fs.mkdirSync(at('imgs/sub'), { recursive: true });
  for (let i = 0; i < count; i++) fs.writeFileSync(at(`imgs/${i % 4 === 0 ? 'sub/' : ''}f${i}.txt`), `file ${i}\n`);
  await pastRacyWindow();
  await addData(ws, ['imgs'], { cwd: dir });
  return { dir, ws, at, hash: () => readPointer(ws, 'imgs.cairn').hash };
}

const indexSaysUnchanged = (t: { ws: DataWorkspace; at: (p: string) => string; hash: () => string }) => FolderIndex.load(t.ws.stateDir, t.at('imgs'), t.hash())?.unchanged(t.at('imgs')) ?? false;

describe('data status over a folder index', () => {
  it('answers clean from stats alone: no file read, the stat cache not even loaded', async () => {
    const t = await tracked();
    assert.equal(indexSaysUnchanged(t), true, 'add leaves an index that matches the untouched folder');
    // Without the stat cache a full scan would re-read every file and save a new cache.
    fs.rmSync(path.join(t.ws.stateDir, 'stat-cache.bin'));
    const report = await dataStatus(t.ws, [], { cwd: t.dir });
    assert.equal(report.entries[0]!.state, 'clean');
    assert.equal(fs.existsSync(path.join(t.ws.stateDir, 'stat-cache.bin')), false, 'nothing was hashed');
  });

  it('detects a modified file (same size), an added file and a deleted file', async () => {
    const t = await tracked();
    fs.writeFileSync(t.at('imgs/f1.txt'), 'FILE 1\n'); // same size as 'file 1\n'
    assert.equal(indexSaysUnchanged(t), false);
    let e = (await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!;
    assert.equal(e.state, 'modified');
    assert.deepEqual(e.changed, ['f1.txt']);

    fs.writeFileSync(t.at('imgs/f1.txt'), 'file 1\n');
    fs.writeFileSync(t.at('imgs/sub/new.txt'), 'new\n');
    e = (await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!;
    assert.equal(e.state, 'modified');
    assert.deepEqual(e.changed, []);
    assert.deepEqual(e.untracked, ['sub/new.txt']);

    fs.rmSync(t.at('imgs/sub/new.txt'));
    fs.rmSync(t.at('imgs/f2.txt'));
    e = (await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!;
    assert.equal(e.state, 'modified');
    assert.deepEqual(e.missing, ['f2.txt']);

    fs.rmSync(t.at('imgs'), { recursive: true });
    assert.equal((await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!.state, 'missing');
  });

  it('detects a file replaced by a renamed one with the same name, size and mtime (another inode)', async () => {
    const t = await tracked();
    const st = fs.statSync(t.at('imgs/f3.txt'));
    fs.writeFileSync(t.at('imgs/tmp'), 'FILE 3\n');
    fs.utimesSync(t.at('imgs/tmp'), st.atime, st.mtime);
    fs.renameSync(t.at('imgs/tmp'), t.at('imgs/f3.txt'));
    assert.equal(indexSaysUnchanged(t), false);
    assert.deepEqual((await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!.changed, ['f3.txt']);
  });

  it('never trusts a file written within the racy window of the scan that stamped it', async () => {
    const file = path.join(root, 'racy.txt');
    fs.writeFileSync(file, 'x');
    const st = fs.statSync(file);
    const racy = new FolderStamps(1, Math.max(st.mtimeMs, st.ctimeMs) + RACY_MS - 1);
    racy.set(0, st);
    assert.equal(racy.values[2], -1, 'a size no file has: the stamp never matches');
    const settled = new FolderStamps(1, Math.max(st.mtimeMs, st.ctimeMs) + RACY_MS + 1);
    settled.set(0, st);
    assert.equal(settled.values[2], 1);
  });

  it('falls back to a full scan for racy files, and catches a same-size write with the mtime set back', async () => {
    const t = await tracked(50);
    // Timestamps the scan cannot trust (here: ahead of the clock, as after a clock step).
    const future = new Date(Date.now() + 60_000);
    for (const f of ['f5.txt', 'f6.txt']) fs.utimesSync(t.at(`imgs/${f}`), future, future);
    await addData(t.ws, ['imgs'], { cwd: t.dir });
    assert.equal(indexSaysUnchanged(t), false, 'racy files are stamped so that they never match');
    fs.writeFileSync(t.at('imgs/f5.txt'), 'FILE 5\n');
    fs.utimesSync(t.at('imgs/f5.txt'), future, future);
    assert.deepEqual((await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!.changed, ['f5.txt']);
    fs.writeFileSync(t.at('imgs/f5.txt'), 'file 5\n');
    const past = new Date(Date.now() - 60_000);
    for (const f of ['f5.txt', 'f6.txt']) fs.utimesSync(t.at(`imgs/${f}`), past, past);
    await pastRacyWindow();
    assert.equal((await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!.state, 'clean', 'a full scan, which re-indexes the folder');
    assert.equal(indexSaysUnchanged(t), true, 'files older than the window are trusted from then on');
  });

  it('sees entries created in a new subfolder, renamed, or hidden behind a folder mtime set back', async () => {
    const t = await tracked();
    fs.mkdirSync(t.at('imgs/sub/deeper'));
    fs.writeFileSync(t.at('imgs/sub/deeper/x.txt'), 'x\n');
    let e = (await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!;
    assert.deepEqual(e.untracked, ['sub/deeper/x.txt']);
    fs.rmSync(t.at('imgs/sub/deeper'), { recursive: true });
    fs.renameSync(t.at('imgs/f9.txt'), t.at('imgs/f9b.txt'));
    e = (await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!;
    assert.deepEqual([e.missing, e.untracked], [['f9.txt'], ['f9b.txt']]);
    fs.renameSync(t.at('imgs/f9b.txt'), t.at('imgs/f9.txt'));
    await pastRacyWindow();
    assert.equal((await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!.state, 'clean');
    assert.equal(indexSaysUnchanged(t), true);
    // A folder's mtime set back after adding an entry: its ctime still moved, so it is listed again.
    const st = fs.statSync(t.at('imgs/sub'));
    fs.writeFileSync(t.at('imgs/sub/sneaky.txt'), 's\n');
    fs.utimesSync(t.at('imgs/sub'), st.atime, st.mtime);
    assert.equal(indexSaysUnchanged(t), false);
    assert.deepEqual((await dataStatus(t.ws, [], { cwd: t.dir })).entries[0]!.untracked, ['sub/sneaky.txt']);
  });

  it('ignores an index made for another version of the folder', async () => {
    const t = await tracked();
    const old = t.hash();
    fs.writeFileSync(t.at('imgs/f7.txt'), 'seven\n');
    await pastRacyWindow();
    await addData(t.ws, ['imgs'], { cwd: t.dir });
    assert.notEqual(t.hash(), old);
    assert.equal(FolderIndex.load(t.ws.stateDir, t.at('imgs'), old), undefined);
    assert.equal(indexSaysUnchanged(t), true);
  });
});
