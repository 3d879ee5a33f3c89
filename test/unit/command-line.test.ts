import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseRunArgs } from '../../backend/cli/commands/run';
import { parseCommandLine } from '../../backend/launcher/command-line';
import { selectEnv } from '../../backend/launcher/env-fingerprint';
import { readParamsFile } from '../../backend/launcher/params-file';
import { captureContext } from '../../backend/launcher/run-context';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();
const params = (argv: string[]) => Object.fromEntries(parseCommandLine(argv).params);

describe('command line params', () => {
  it('reads --k v, --k=v, k=v, flags and negative numbers after the script', () => {
    assert.deepEqual(params(['python', 'train.py', '--lr', '0.01', '--epochs=5', 'seed=3', '--augment', '--momentum', '-0.5', '-b', '32', 'data.csv', '+model.depth=4']), {
      lr: '0.01',
      epochs: '5',
      seed: '3',
      augment: 'true',
      momentum: '-0.5',
      b: '32',
      'model.depth': '4',
    });
  });

  it('skips interpreters, wrappers and their options to find the script', () => {
    const cases: [string[], string, string | undefined][] = [
      [['python3', '-u', '-W', 'ignore', 'train.py', '--lr', '1'], 'train.py', 'python'],
      [['/usr/bin/python3.11', '-m', 'pkg.train', '--lr', '1'], 'pkg.train', 'python'],
      [['npx', 'tsx', 'train.ts', '--lr', '1'], 'train.ts', 'node'],
      [['node', '--import', 'tsx', 'train.ts', '--lr=1'], 'train.ts', 'node'],
      [['uv', 'run', 'python', 'train.py', 'lr=1'], 'train.py', 'python'],
      [['env', 'SEED=1', 'bash', 'run.sh', '--lr', '1'], 'run.sh', 'shell'],
      [['./train', '--lr', '1'], './train', 'other'],
    ];
    for (const [argv, source, interpreter] of cases) {
      const c = parseCommandLine(argv);
      assert.equal(c.source, source, argv.join(' '));
      assert.equal(c.interpreter, interpreter, argv.join(' '));
      assert.deepEqual(Object.fromEntries(c.params), { lr: '1' }, argv.join(' '));
    }
  });

  it('does not take a --flag followed by k=v for a flag with that value', () => {
    assert.deepEqual(params(['python', 't.py', '--verbose', 'lr=2']), { verbose: 'true', lr: '2' });
  });

  it('flattens YAML and JSON params files', () => {
    fs.writeFileSync(path.join(dir, 'p.yaml'), 'train:\n  lr: 0.01\n  layers: [64, 32]\nseed: 7\nname: base\n');
    fs.writeFileSync(path.join(dir, 'p.json'), '{"a": {"b": {"c": true}}, "n": null}');
    assert.deepEqual(Object.fromEntries(readParamsFile(path.join(dir, 'p.yaml'))), { 'train.lr': '0.01', 'train.layers': '[64,32]', seed: '7', name: 'base' });
    assert.deepEqual(Object.fromEntries(readParamsFile(path.join(dir, 'p.json'))), { 'a.b.c': 'true', n: 'null' });
    fs.writeFileSync(path.join(dir, 'bad.json'), '{');
    assert.throws(() => readParamsFile(path.join(dir, 'bad.json')), /cannot parse params file/);
  });

  it('merges params.yaml < command line < --param', async () => {
    const ws = path.join(dir, 'ws');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'params.yaml'), 'lr: 0.1\nepochs: 3\nbatch: 8\n');
    const ctx = await captureContext({ argv: ['python', 'train.py', '--lr', '0.01', '--epochs=5'], cwd: ws, workspace: ws, storeDir: path.join(ws, '.cairn'), explicitParams: new Map([['epochs', '9']]), env: {} });
    assert.deepEqual(Object.fromEntries(ctx.params), { lr: '0.01', epochs: '9', batch: '8' });
    assert.equal(ctx.git, undefined);
    assert.equal(ctx.tags['cairn.command'], JSON.stringify(['python', 'train.py', '--lr', '0.01', '--epochs=5']));
    assert.equal(ctx.tags['mlflow.source.name'], 'train.py');
  });
});

describe('cairn run arguments', () => {
  it('splits options from the command at -- or at the first non-option', () => {
    const a = parseRunArgs(['--experiment', 'e', '--name=n', '--param', 'lr=1', '--param', 'x=a=b', '--watch', 'out', '--params-file', 'p.json', '--', 'python', 'x.py', '--name', 'y']);
    assert.equal(a.experiment, 'e');
    assert.equal(a.name, 'n');
    assert.deepEqual(Object.fromEntries(a.params), { lr: '1', x: 'a=b' });
    assert.deepEqual(a.watch, ['out']);
    assert.equal(a.paramsFile, 'p.json');
    assert.deepEqual(a.command, ['python', 'x.py', '--name', 'y']);
    assert.deepEqual(parseRunArgs(['python', 'x.py', '--lr', '1']).command, ['python', 'x.py', '--lr', '1']);
  });

  it('rejects unknown options, missing values and an empty command', () => {
    assert.throws(() => parseRunArgs(['--bogus', '--', 'x']), /unknown option/);
    assert.throws(() => parseRunArgs(['--param', 'novalue', '--', 'x']), /key=value/);
    assert.throws(() => parseRunArgs(['--name']), /needs a value/);
    assert.throws(() => parseRunArgs(['--name', 'n', '--']), /no command/);
  });
});

describe('environment fingerprint', () => {
  it('keeps configuration variables and drops secrets', () => {
    const env = selectEnv({ CUDA_VISIBLE_DEVICES: '0', PYTHONHASHSEED: '1', CAIRN_TOKEN: 'secret', MLFLOW_TRACKING_TOKEN: 's', AWS_SECRET_ACCESS_KEY: 'x', HOME: '/root', OMP_NUM_THREADS: '2' });
    assert.deepEqual(env, { CUDA_VISIBLE_DEVICES: '0', OMP_NUM_THREADS: '2', PYTHONHASHSEED: '1' });
  });
});
