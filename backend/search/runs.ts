import { LIST_OPS, NUMERIC_OPS, STRING_OPS, parseDomainFilter, parseDomainOrderBy, type Clause, type DomainSpec, type KeyRule, type Order } from './domain';

export type RunEntity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';
export type RunClause = Clause<RunEntity>;
export type RunOrder = Order<RunEntity>;

const NUMERIC_ATTRIBUTES = ['start_time', 'end_time'];
const STRING_ATTRIBUTES = ['run_id', 'run_name', 'user_id', 'status', 'artifact_uri', 'lifecycle_stage'];
const ATTRIBUTE_ALIASES: Record<string, string> = {
  created: 'start_time',
  Created: 'start_time',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
  run_uuid: 'run_id',
};
const ORDER_ATTRIBUTES = [...NUMERIC_ATTRIBUTES, ...STRING_ATTRIBUTES, 'experiment_id'];

const rule = (ops: readonly import('./parse').Comparator[], value: 'number' | 'string', listKeys?: string[]): KeyRule => ({ ops, value, listKeys });

export const RUN_SEARCH: DomainSpec<RunEntity> = {
  name: 'runs',
  entities: {
    metric: 'metric', metrics: 'metric',
    parameter: 'param', parameters: 'param', param: 'param', params: 'param',
    tag: 'tag', tags: 'tag',
    attribute: 'attribute', attributes: 'attribute', attr: 'attribute', run: 'attribute', '': 'attribute',
    dataset: 'dataset', datasets: 'dataset',
  },
  canonicalKey: (entity, key) => (entity === 'attribute' ? (ATTRIBUTE_ALIASES[key] ?? key) : key),
  rules: (entity, key) => {
    switch (entity) {
      case 'metric':
        return rule(NUMERIC_OPS, 'number');
      case 'param':
      case 'tag':
        return rule(STRING_OPS, 'string');
      case 'attribute':
        if (NUMERIC_ATTRIBUTES.includes(key)) return rule(NUMERIC_OPS, 'number');
        if (STRING_ATTRIBUTES.includes(key)) return rule([...STRING_OPS, ...LIST_OPS], 'string', ['run_id']);
        return undefined;
      case 'dataset':
        return ['name', 'digest', 'context'].includes(key) ? rule([...STRING_OPS, ...LIST_OPS], 'string', ['name', 'digest', 'context']) : undefined;
    }
  },
  orderable: (entity, key) => entity !== 'dataset' && (entity !== 'attribute' || ORDER_ATTRIBUTES.includes(key)),
};

export const parseRunFilter = (filter: string | undefined): RunClause[] => parseDomainFilter(RUN_SEARCH, filter);
export const parseRunOrderBy = (orderBy: readonly string[] | undefined): RunOrder[] => parseDomainOrderBy(RUN_SEARCH, orderBy);
