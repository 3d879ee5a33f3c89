import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileInfo } from '../../../backend/api/mlflow';
import type { LoggedModel } from '../../../backend/api/registry';
import { modelDescription, modelNodeId, sortVersions, versionContextValue, versionDescription, versionIcon, versionNodeId, versionTooltip } from '../../../extension/models/model-presentation';
import { findModelFolders, isModelFolder, modelSources } from '../../../extension/models/model-sources';
import { fakeModel, fakeVersion } from './fake-serving';

test('versions sort newest first; ids are stable paths; names are escaped in ids', () => {
  assert.deepEqual(sortVersions([fakeVersion({ version: '2' }), fakeVersion({ version: '10' }), fakeVersion({ version: '1' })]).map((v) => v.version), ['10', '2', '1']);
  assert.equal(modelNodeId('a/b c'), '/model/a%2Fb%20c');
  assert.equal(versionNodeId('a/b', '3'), '/model/a%2Fb/v/3');
});

test('a model line counts versions and lists aliases; a version line shows aliases, deployments and state', () => {
  const m = fakeModel({ latest_versions: [fakeVersion({ version: '3' })], aliases: [{ alias: 'champion', version: '2' }, { alias: 'challenger', version: '3' }] });
  assert.equal(modelDescription(m), '3 versions · @challenger→v3 @champion→v2');
  assert.equal(modelDescription(fakeModel(), 1), '1 version');
  const v = fakeVersion({ version: '2', aliases: ['champion'] });
  assert.equal(versionDescription(v, ['weather']), '@champion · deployed: weather');
  assert.equal(versionDescription(fakeVersion({ version: '1', status: 'PENDING_REGISTRATION' })), 'registering…');
  assert.equal(versionContextValue(v, true), 'cairn:version+ready+aliased+deployed+run');
  assert.equal(versionContextValue(fakeVersion({ version: '1', run_id: '', status: 'FAILED_REGISTRATION' }), false), 'cairn:version+failed+unaliased+undeployed+norun');
  assert.deepEqual(versionIcon(v), { icon: 'versions', color: 'charts.green' });
  assert.match(versionTooltip(v, ['weather']), /run: r1\naliases: @champion\ndeployed as: weather/);
});

test('model folders are found among artifacts by their marker files, breadth first and bounded', async () => {
  const tree: Record<string, FileInfo[]> = {
    '': [{ path: 'plots', is_dir: true }, { path: 'model', is_dir: true }, { path: 'cairn', is_dir: true }],
    plots: [{ path: 'plots/loss.png', is_dir: false }],
    model: [{ path: 'model/model.json', is_dir: false }, { path: 'model/weights.bin', is_dir: false }],
    cairn: [{ path: 'cairn/sk', is_dir: true }],
    'cairn/sk': [{ path: 'cairn/sk/model.pkl', is_dir: false }],
  };
  const listed: string[] = [];
  const list = async (p: string) => (listed.push(p), tree[p] ?? []);
  assert.deepEqual(await findModelFolders(list), ['model', 'cairn/sk']);
  assert.ok(!listed.includes('model/weights.bin'), 'a model folder is not descended into');
  assert.deepEqual(await findModelFolders(list, 1), ['model']);
  assert.equal(isModelFolder([{ path: 'x/MLmodel', is_dir: false }]), true);
  assert.equal(isModelFolder([{ path: 'x/MLmodel', is_dir: true }, { path: 'x/readme.md', is_dir: false }]), false);
});

test('register sources: folders under the run artifact root and the run\'s logged models', () => {
  const logged = { info: { model_id: 'm-0123456789abcdef0123456789abcdef', name: 'clf' } } as LoggedModel;
  const s = modelSources('mlflow-artifacts:/1/run/artifacts/', ['model', 'out/tfjs', ''], [logged], 'my run');
  assert.deepEqual(s.map((x) => [x.label, x.source, x.suggestedName]), [
    ['model/', 'mlflow-artifacts:/1/run/artifacts/model', 'my-run'],
    ['out/tfjs/', 'mlflow-artifacts:/1/run/artifacts/out/tfjs', 'tfjs'],
    ['(artifact root)', 'mlflow-artifacts:/1/run/artifacts', 'my-run'],
    ['logged model clf', 'models:/m-0123456789abcdef0123456789abcdef', 'clf'],
  ]);
  assert.equal(s[3]!.modelId, logged.info.model_id);
});

test('the models model applies model.updated events: in place, new, deleted; logged-model events are ignored', async () => {
  const { ModelsModel } = await import('../../../extension/models/models-model');
  const remote = new Map([['b', fakeModel({ name: 'b' })], ['a', fakeModel({ name: 'a' })]]);
  let gets = 0;
  const src = {
    searchRegisteredModels: async () => [...remote.values()].map((m) => structuredClone(m)),
    getRegisteredModel: async (name: string) => {
      gets++;
      const m = remote.get(name);
      if (!m) throw Object.assign(new Error('gone'), { code: 'RESOURCE_DOES_NOT_EXIST' });
      return structuredClone(m);
    },
    searchModelVersions: async (name: string) => [fakeVersion({ name, version: '1' }), fakeVersion({ name, version: '2' })],
  };
  const m = new ModelsModel(() => src);
  const ev = (name: string) => ({ type: 'model.updated' as const, name, id: 1, time: 0 });
  assert.deepEqual(await m.apply(ev('a')), [{ kind: 'root' }], 'nothing listed yet: reload');
  assert.deepEqual((await m.listModels()).map((x) => x.name), ['a', 'b']);
  assert.deepEqual((await m.listVersions('a')).map((v) => v.version), ['2', '1']);
  const a = m.model('a');
  remote.set('a', fakeModel({ name: 'a', aliases: [{ alias: 'champion', version: '2' }] }));
  assert.deepEqual(await m.apply(ev('a')), [{ kind: 'model', name: 'a' }]);
  assert.equal(m.model('a'), a, 'updated in place');
  assert.deepEqual(m.model('a')!.aliases, [{ alias: 'champion', version: '2' }]);
  assert.equal(m.loadedVersions('a'), undefined, 'its versions reload');
  remote.set('c', fakeModel({ name: 'c' }));
  assert.deepEqual(await m.apply(ev('c')), [{ kind: 'root' }]);
  assert.deepEqual((await m.listModels()).map((x) => x.name), ['a', 'b', 'c']);
  remote.delete('b');
  assert.deepEqual(await m.apply(ev('b')), [{ kind: 'root' }]);
  assert.deepEqual((await m.listModels()).map((x) => x.name), ['a', 'c']);
  const before = gets;
  assert.deepEqual(await m.apply(ev('m-0123456789abcdef0123456789abcdef')), [], 'a logged model is not a registered model');
  assert.equal(gets, before, 'and costs no request');
});
