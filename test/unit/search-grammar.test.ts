import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunFilter, parseRunOrderBy } from '../../backend/search/runs';
import { parseExperimentFilter } from '../../backend/search/experiments';
import { parseVersionFilter } from '../../backend/search/models';

describe('runs/search filter grammar', () => {
  const ok: [string, unknown][] = [
    ['metrics.accuracy > 0.72', [{ entity: 'metric', key: 'accuracy', op: '>', value: 0.72 }]],
    ['metrics."accuracy" > 0.72', [{ entity: 'metric', key: 'accuracy', op: '>', value: 0.72 }]],
    ['metric.train.loss <= 1e-3', [{ entity: 'metric', key: 'train.loss', op: '<=', value: 0.001 }]],
    ['metrics.measure_a != -12.0', [{ entity: 'metric', key: 'measure_a', op: '!=', value: -12 }]],
    ['params.batch_size = "2"', [{ entity: 'param', key: 'batch_size', op: '=', value: '2' }]],
    ["param.solver ILIKE 'L%'", [{ entity: 'param', key: 'solver', op: 'ILIKE', value: 'L%' }]],
    ['params.`random_state` = \'1\'', [{ entity: 'param', key: 'random_state', op: '=', value: '1' }]],
    ['tags."mlflow.source.name" = "scratch.py"', [{ entity: 'tag', key: 'mlflow.source.name', op: '=', value: 'scratch.py' }]],
    ['attributes.created > 1664067852747', [{ entity: 'attribute', key: 'start_time', op: '>', value: 1664067852747 }]],
    ["attributes.run_id IN ('meh', 'bah')", [{ entity: 'attribute', key: 'run_id', op: 'IN', value: ['meh', 'bah'] }]],
    ["datasets.digest NOT IN ('s8ds293b', 'jks834s2')", [{ entity: 'dataset', key: 'digest', op: 'NOT IN', value: ['s8ds293b', 'jks834s2'] }]],
    ['metrics.foobar = 40 AND run_name = "bouncy-boar-498"', [
      { entity: 'metric', key: 'foobar', op: '=', value: 40 },
      { entity: 'attribute', key: 'run_name', op: '=', value: 'bouncy-boar-498' },
    ]],
    ["metrics.rmse < 1 and params.model_class = 'LogisticRegression'", [
      { entity: 'metric', key: 'rmse', op: '<', value: 1 },
      { entity: 'param', key: 'model_class', op: '=', value: 'LogisticRegression' },
    ]],
    ["`Run name` LIKE 'a%'", [{ entity: 'attribute', key: 'run_name', op: 'LIKE', value: 'a%' }]],
    ["tags.note = 'it''s'", [{ entity: 'tag', key: 'note', op: '=', value: "it's" }]],
    ['', []],
  ];
  for (const [filter, expected] of ok) it(`parses ${JSON.stringify(filter)}`, () => assert.deepEqual(parseRunFilter(filter), expected));

  const bad = [
    'attributes.foobar = 40',
    "metric.yow = 'z'",
    "attributes.start_time = 'now'",
    "attributes.run_name IN ('foo','bar')",
    "params.a > '1'",
    'metrics.a > 1 OR metrics.b > 2',
    'metrics.a >',
    "foo.bar = 'x'",
    "params.a = 'unterminated",
    'metrics.a = 1 metrics.b = 2',
    "(metrics.a > 1)",
  ];
  for (const filter of bad) {
    it(`refuses ${JSON.stringify(filter)} with INVALID_PARAMETER_VALUE`, () => {
      assert.throws(() => parseRunFilter(filter), (e: { code?: string }) => e.code === 'INVALID_PARAMETER_VALUE');
    });
  }

  it('parses order_by clauses with directions, aliases and quoted keys', () => {
    assert.deepEqual(parseRunOrderBy(['params.input DESC', 'metrics.alpha ASC', 'metrics.rmse', 'metrics.`my metric` desc', 'created']), [
      { entity: 'param', key: 'input', asc: false },
      { entity: 'metric', key: 'alpha', asc: true },
      { entity: 'metric', key: 'rmse', asc: true },
      { entity: 'metric', key: 'my metric', asc: false },
      { entity: 'attribute', key: 'start_time', asc: true },
    ]);
    assert.throws(() => parseRunOrderBy(['metrics.a sideways']), /ASC or DESC/);
    assert.throws(() => parseRunOrderBy(['attributes.nope']), /cannot order/);
  });
});

describe('experiment and model-version filters', () => {
  it('accepts their own keys only', () => {
    assert.deepEqual(parseExperimentFilter("name LIKE 'test-%' AND tags.key = 'value'"), [
      { entity: 'attribute', key: 'name', op: 'LIKE', value: 'test-%' },
      { entity: 'tag', key: 'key', op: '=', value: 'value' },
    ]);
    assert.throws(() => parseExperimentFilter('metrics.a > 1'), /Invalid entity type/);
    assert.deepEqual(parseVersionFilter("run_id IN ('a') AND version_number >= 2"), [
      { entity: 'attribute', key: 'run_id', op: 'IN', value: ['a'] },
      { entity: 'attribute', key: 'version_number', op: '>=', value: 2 },
    ]);
    assert.throws(() => parseVersionFilter("name IN ('a')"), /IN lists/);
  });
});
