import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cairnRunArgv, formatParams, parseParams } from '../../../extension/track/run-command-line';

test('cairn run argv follows the CLI contract', () => {
  assert.deepEqual(cairnRunArgv({ nodePath: '/n', cliPath: '/ext/dist/cli.js', experiment: 'exp 1', params: [{ key: 'lr', value: '0.1' }, { key: 'name', value: 'a b' }], command: ['python3', 'train.py'] }), {
    file: '/n',
    args: ['/ext/dist/cli.js', 'run', '--experiment', 'exp 1', '--param', 'lr=0.1', '--param', 'name=a b', '--', 'python3', 'train.py'],
  });
  assert.deepEqual(cairnRunArgv({ nodePath: 'node', cliPath: 'c.js', params: [], command: ['node', 't.js'] }).args, ['c.js', 'run', '--', 'node', 't.js']);
});

test('params text round-trips, with quotes for spaces, and bad input is refused', () => {
  assert.deepEqual(parseParams(' lr=0.01  epochs=5 name="big model" path=\'/a b\' empty='), [
    { key: 'lr', value: '0.01' },
    { key: 'epochs', value: '5' },
    { key: 'name', value: 'big model' },
    { key: 'path', value: '/a b' },
    { key: 'empty', value: '' },
  ]);
  assert.deepEqual(parseParams(''), []);
  assert.throws(() => parseParams('lr=0.1 oops'), /could not read 'oops'/);
  const params = [{ key: 'lr', value: '0.1' }, { key: 'name', value: 'a b' }];
  assert.deepEqual(parseParams(formatParams(params)), params);
});
