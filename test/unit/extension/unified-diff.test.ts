import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPatch, parseUnifiedDiff, touchedPaths } from '../../../extension/diff/unified-diff';

const BASE = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n') + '\n';

test('git diff output is parsed per file and applied', () => {
  const diff = [
    'diff --git a/train.py b/train.py',
    'index 111..222 100644',
    '--- a/train.py',
    '+++ b/train.py',
    '@@ -2,3 +2,3 @@',
    ' b',
    '-c',
    '+C',
    ' d',
    '@@ -7,2 +7,3 @@',
    ' g',
    ' h',
    '+i',
    'diff --git a/new.txt b/new.txt',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/new.txt',
    '@@ -0,0 +1,2 @@',
    '+hello',
    '+world',
    'diff --git a/old.txt b/old.txt',
    'deleted file mode 100644',
    '--- a/old.txt',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-bye',
    'diff --git a/img.png b/img.png',
    'Binary files a/img.png and b/img.png differ',
    '',
  ].join('\n');
  const files = parseUnifiedDiff(diff);
  assert.deepEqual(touchedPaths(files), ['train.py', 'new.txt', 'old.txt', 'img.png']);
  assert.equal(applyPatch(BASE, files[0]!), ['a', 'b', 'C', 'd', 'e', 'f', 'g', 'h', 'i'].join('\n') + '\n');
  assert.equal(applyPatch(undefined, files[1]!), 'hello\nworld\n');
  assert.equal(applyPatch('bye\n', files[2]!), undefined);
  assert.equal(files[3]!.binary, true);
});

test('"No newline at end of file" is honoured', () => {
  const diff = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n';
  assert.equal(applyPatch('a', parseUnifiedDiff(diff)[0]!), 'b');
});

test('a patch whose context does not match fails loudly', () => {
  const diff = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-zzz\n+b\n';
  assert.throws(() => applyPatch('a\n', parseUnifiedDiff(diff)[0]!), /does not apply to x at line 1/);
});
