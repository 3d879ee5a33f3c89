import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findModelCandidates } from '../../backend/launcher/model-candidates';
import { changedFiles, snapshot } from '../../backend/launcher/output-scanner';
import { parseNvidiaSmi, parseProcStat, processTree, SystemSampler } from '../../backend/launcher/system-sampler';
import { initRepo, writeFiles } from '../helpers/git-repo';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();

describe('outputs', () => {
  it('finds new and changed files, minus git-ignored ones unless a folder is watched explicitly', () => {
    const ws = path.join(dir, 'ws');
    initRepo(ws, { 'train.py': 'x\n', 'keep.txt': 'same\n', '.gitignore': 'models/\n' });
    writeFiles(ws, { 'models/old.pkl': 'old' });
    const spec = { workspace: ws };
    const watched = { workspace: ws, roots: [path.join(ws, 'models')] };
    const before = snapshot(spec);
    const beforeWatched = snapshot(watched);
    writeFiles(ws, { 'out/metrics.json': '{}', 'train.py': 'changed, longer\n', 'models/new.pkl': 'new', 'node_modules/x/y.js': '', '.cairn/z': '' });
    assert.deepEqual(changedFiles(before, snapshot(spec)), ['out/metrics.json', 'train.py']);
    assert.deepEqual(changedFiles(beforeWatched, snapshot(watched)), ['models/new.pkl']);
  });

  it('walks folders outside git too', () => {
    const plain = path.join(dir, 'plain');
    writeFiles(plain, { 'a.txt': '1' });
    const before = snapshot({ workspace: plain });
    writeFiles(plain, { 'b/c.txt': '2', '__pycache__/m.pyc': '' });
    assert.deepEqual(changedFiles(before, snapshot({ workspace: plain })), ['b/c.txt']);
  });

  it('tags model files and model folders with their flavor', () => {
    const base = path.join(dir, 'models');
    writeFiles(base, {
      'tfjs/model.json': JSON.stringify({ modelTopology: {}, weightsManifest: [] }),
      'tfjs/group1-shard1of1.bin': 'w',
      'other/model.json': '{"not": "a model"}',
      'saved/saved_model.pb': 'pb',
      'saved/variables/variables.index': 'i',
      'm.onnx': 'o',
      'clf.joblib': 'j',
      'clf.pkl': 'p',
      'net.pt': 't',
      'k.h5': 'h',
      'notes.txt': 'n',
    });
    const files = ['tfjs/model.json', 'tfjs/group1-shard1of1.bin', 'other/model.json', 'saved/saved_model.pb', 'saved/variables/variables.index', 'm.onnx', 'clf.joblib', 'clf.pkl', 'net.pt', 'k.h5', 'notes.txt'];
    const found = findModelCandidates(files, base, 'outputs/');
    assert.deepEqual(
      found.sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: 'outputs/clf.joblib', flavor: 'sklearn' },
        { path: 'outputs/clf.pkl', flavor: 'pickle' },
        { path: 'outputs/k.h5', flavor: 'keras' },
        { path: 'outputs/m.onnx', flavor: 'onnx' },
        { path: 'outputs/net.pt', flavor: 'pytorch' },
        { path: 'outputs/saved', flavor: 'tensorflow' },
        { path: 'outputs/tfjs', flavor: 'tfjs' },
      ],
    );
  });
});

describe('system metrics', () => {
  it('parses /proc stat lines whose command names hold spaces and parentheses', () => {
    const line = '4242 (my (odd) name) S 17 4242 17 0 -1 4194560 500 0 0 0 150 25 0 0 20 0 3 0 12345 1000000 2560 18446744073709551615';
    assert.deepEqual(parseProcStat(line), { pid: 4242, ppid: 17, cpuTicks: 175, rssPages: 2560, state: 'S' });
    assert.equal(parseProcStat('garbage'), undefined);
  });

  it('collects a process and all its descendants', () => {
    const p = (pid: number, ppid: number) => ({ pid, ppid, cpuTicks: 0, rssPages: 1 });
    const tree = processTree([p(1, 0), p(10, 1), p(11, 10), p(12, 11), p(20, 1), p(13, 10)], 10);
    assert.deepEqual(tree.map((x) => x.pid).sort(), [10, 11, 12, 13]);
  });

  it('parses nvidia-smi CSV', () => {
    assert.deepEqual(parseNvidiaSmi('0, 87, 10240, 24576\n1, 0, 5, 24576\n[N/A], x, 1, 2\n'), [
      { index: 0, utilizationPercent: 87, memoryUsedMb: 10240, memoryTotalMb: 24576 },
      { index: 1, utilizationPercent: 0, memoryUsedMb: 5, memoryTotalMb: 24576 },
    ]);
  });

  it('samples CPU, RSS and process count of a real process tree', async () => {
    // A shell that starts a busy child: both belong to the tree.
    const child = spawn('sh', ['-c', 'node -e "const t=Date.now(); while (Date.now() - t < 1500) {}" & wait'], { stdio: 'ignore' });
    const seen = new Map<string, number>();
    const sampler = new SystemSampler(child.pid!, (k, v) => seen.set(k, v), 60_000);
    sampler.start();
    await new Promise((r) => setTimeout(r, 700));
    sampler.sample();
    sampler.stop();
    await new Promise((r) => child.once('exit', r));
    assert.ok(sampler.supported, '/proc is required for system metrics on Linux');
    assert.ok((seen.get('system/processes') ?? 0) >= 2, `processes: ${seen.get('system/processes')}`);
    assert.ok((seen.get('system/rss_mb') ?? 0) > 1, `rss: ${seen.get('system/rss_mb')}`);
    assert.ok((seen.get('system/cpu_percent') ?? 0) > 0, `cpu: ${seen.get('system/cpu_percent')}`);
  });
});
