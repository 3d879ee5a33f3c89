import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globMatch } from '../../../extension/codelens/glob';
import { detectTraining, interpreterFor, languageOfPath } from '../../../extension/codelens/training-detector';

test('a __main__ block is a training entry point; the lens goes on that line', () => {
  const d = detectTraining(['import os', '', 'def main():', '    pass', '', "if __name__ == '__main__':", '    main()'].join('\n'), 'python');
  assert.deepEqual(d, { signals: ['main-block'], line: 5 });
  assert.equal(detectTraining('if __name__ == "__main__":\n  run()', 'python')?.line, 0);
});

test('ML imports are detected for each library; the lens goes on the first import without a main block', () => {
  for (const lib of ['torch', 'tensorflow', 'sklearn', 'xgboost', 'lightgbm']) {
    const d = detectTraining(`"""doc"""\nimport numpy as np\nimport ${lib}\n`, 'python');
    assert.deepEqual(d, { signals: ['ml-import'], line: 2 }, lib);
    assert.ok(detectTraining(`from ${lib}.sub import thing\n`, 'python'), `from ${lib}.sub import`);
  }
  assert.equal(detectTraining('import torchvision_like_but_not\n', 'python'), undefined, 'word boundary: torchvision_like… is not torch');
  assert.equal(detectTraining('import numpy\nprint(1)\n', 'python'), undefined);
});

test('.fit( counts; comments and docstrings do not', () => {
  assert.deepEqual(detectTraining('model = make()\nmodel.fit(X, y)\n', 'python')?.signals, ['fit-call']);
  assert.equal(detectTraining('# import torch\n# if __name__ == "__main__":\n', 'python'), undefined);
  assert.equal(detectTraining('"""\nimport torch\n"""\nx = 1\n', 'python'), undefined);
});

test('@tensorflow/tfjs in JS/TS (import, require, side-effect import)', () => {
  assert.deepEqual(detectTraining("import * as tf from '@tensorflow/tfjs';\n", 'typescript'), { signals: ['ml-import'], line: 0 });
  assert.ok(detectTraining("const tf = require('@tensorflow/tfjs-node');\n", 'javascript'));
  assert.ok(detectTraining("import '@tensorflow/tfjs-backend-wasm';\nimport '@tensorflow/tfjs';\n", 'javascript'));
  assert.equal(detectTraining("// import * as tf from '@tensorflow/tfjs'\nconst x = 1;\n", 'javascript'), undefined);
  assert.equal(detectTraining("import express from 'express';\n", 'javascript'), undefined);
});

test('a cairn.trackGlobs match adds a lens to any file', () => {
  assert.deepEqual(detectTraining('print(1)\n', 'python', true), { signals: ['track-glob'], line: 0 });
});

test('glob matching of cairn.trackGlobs', () => {
  assert.ok(globMatch('scripts/**/*.py', 'scripts/a/b/train.py'));
  assert.ok(globMatch('scripts/**/*.py', 'scripts/train.py'));
  assert.ok(!globMatch('scripts/*.py', 'scripts/a/train.py'));
  assert.ok(globMatch('**/train_*.{py,js}', 'x/train_big.js'));
  assert.ok(!globMatch('train?.py', 'train10.py'));
  assert.ok(globMatch('train?.py', 'train1.py'));
  assert.ok(!globMatch('a.py', 'aXpy'), 'dots are literal');
});

test('languages and interpreters', () => {
  assert.equal(languageOfPath('/a/train.py'), 'python');
  assert.equal(languageOfPath('train.mjs'), 'javascript');
  assert.equal(languageOfPath('train.ts'), 'typescript');
  assert.equal(languageOfPath('README.md'), undefined);
  assert.deepEqual(interpreterFor('python', '/usr/bin/python3'), ['/usr/bin/python3']);
  assert.deepEqual(interpreterFor('typescript', 'python3'), ['npx', 'tsx']);
});
