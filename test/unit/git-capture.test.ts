import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { captureGitState, redactRemote } from '../../backend/launcher/git-capture';
import { git, initRepo, treeOf, writeFiles } from '../helpers/git-repo';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();

describe('git capture', () => {
  it('records commit, branch and remote without credentials', async () => {
    const repo = path.join(dir, 'meta');
    const commit = initRepo(repo, { 'a.txt': 'a\n' });
    git(repo, 'remote', 'add', 'origin', 'https://user:ghp_secret@example.invalid/org/repo.git');
    fs.mkdirSync(path.join(repo, 'sub'));
    const state = (await captureGitState(path.join(repo, 'sub')))!;
    assert.equal(state.commit, commit);
    assert.equal(state.branch, 'main');
    assert.equal(state.remoteUrl, 'https://example.invalid/org/repo.git');
    assert.equal(state.subdir, 'sub');
    assert.equal(state.diff.length, 0);
    assert.equal(redactRemote('git@example.invalid:org/repo.git'), 'git@example.invalid:org/repo.git');
    assert.equal(await captureGitState(path.join(dir)), undefined);
  });

  it('stores a diff that git apply turns back into the exact working tree', async () => {
    const repo = path.join(dir, 'round');
    const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    const commit = initRepo(repo, {
      'a.txt': 'line 1\nline 2\n',
      'gone.txt': 'delete me\n',
      'data/blob.bin': binary,
      'run.sh': '#!/bin/sh\necho hi\n',
      'crlf.txt': 'one\r\ntwo',
      'staged.txt': 'v1\n',
      '.gitignore': 'ignored/\n*.log\n',
    });
    // Tracked edits, a deletion, a binary change, a mode change, staged + unstaged edits.
    writeFiles(repo, { 'a.txt': 'line 1\nline 2 changed\nline 3\n', 'crlf.txt': 'one\r\ntwo\r\nthree', 'staged.txt': 'v2\n' });
    git(repo, 'add', 'staged.txt');
    writeFiles(repo, { 'staged.txt': 'v3 (unstaged on top)\n' });
    fs.rmSync(path.join(repo, 'gone.txt'));
    const changedBinary = Buffer.from(binary);
    changedBinary[100] = 0;
    changedBinary[2000] ^= 0xff;
    // A same-size edit with the same mtime as when it was committed, in the same tick as the index
    // was written: only git's "racily clean" check finds it (it must survive copying the index).
    const blob = path.join(repo, 'data/blob.bin');
    const committed = fs.statSync(blob);
    fs.writeFileSync(blob, changedBinary);
    fs.utimesSync(blob, committed.atime, committed.mtime);
    fs.utimesSync(path.join(repo, '.git', 'index'), committed.atime, committed.mtime);
    assert.match(git(repo, 'diff-files', '--name-only'), /data\/blob.bin/, 'git itself sees the racy edit (diff-files leaves the index as it is)');
    fs.chmodSync(path.join(repo, 'run.sh'), 0o755);
    // Untracked: text (kept, including a unicode name and a new folder), binary and big (skipped), ignored and .cairn (never).
    writeFiles(repo, {
      'new/ünï code.py': 'print("new")\n',
      'notes.md': '# notes, no trailing newline',
      'weights.bin': Buffer.from([0, 1, 2, 0, 3]),
      'big.txt': 'x'.repeat(2000),
      'ignored/out.txt': 'ignored\n',
      'train.log': 'log\n',
      '.cairn/server.json': '{}',
    });
    const indexBefore = git(repo, 'diff', '--cached', '--name-only');

    const state = (await captureGitState(repo, { maxUntrackedFileBytes: 1000, excludeDirs: [path.join(repo, '.cairn')] }))!;
    assert.equal(state.commit, commit);
    assert.deepEqual(state.skipped.sort(), ['big.txt', 'weights.bin']);
    assert.equal(git(repo, 'diff', '--cached', '--name-only'), indexBefore, "the user's staging area is untouched");

    const copy = path.join(dir, 'restored');
    git(dir, 'clone', '-q', repo, copy);
    git(copy, 'checkout', '-q', commit);
    fs.writeFileSync(path.join(dir, 'code.diff'), state.diff);
    execFileSync('git', ['apply', '--whitespace=nowarn', path.join(dir, 'code.diff')], { cwd: copy });

    const notCaptured = (rel: string) => ['big.txt', 'weights.bin', 'train.log'].includes(rel) || rel.startsWith('ignored/') || rel.startsWith('.cairn/');
    const want = treeOf(repo, notCaptured);
    const got = treeOf(copy, notCaptured);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
    for (const [rel, w] of want) assert.deepEqual(got.get(rel), w, rel);
    assert.equal(got.get('run.sh')!.exec, true);
  });

  it('captures a repository without commits against the empty tree', async () => {
    const repo = path.join(dir, 'fresh');
    fs.mkdirSync(repo);
    git(repo, 'init', '-q');
    writeFiles(repo, { 'train.py': 'print(1)\n' });
    const state = (await captureGitState(repo))!;
    assert.equal(state.commit, undefined);
    assert.match(state.diff.toString(), /new file mode 100644[\s\S]*\+print\(1\)/);
  });
});
