import { NUMERIC_OPS, STRING_OPS, parseDomainFilter, parseDomainOrderBy, type Clause, type DomainSpec, type Order } from './domain';

export type LoggedModelEntity = 'attribute' | 'tag' | 'param';

const STRING_ATTRIBUTES = ['name', 'model_id', 'model_type', 'source_run_id', 'status'];
const NUMERIC_ATTRIBUTES = ['creation_timestamp', 'last_updated_timestamp'];

/** MLflow 3 `logged-models/search`: attributes, `tags.x` and `params.x`. */
export const LOGGED_MODEL_SEARCH: DomainSpec<LoggedModelEntity> = {
  name: 'logged models',
  entities: { attribute: 'attribute', attributes: 'attribute', '': 'attribute', tag: 'tag', tags: 'tag', param: 'param', params: 'param' },
  rules: (entity, key) => {
    if (entity !== 'attribute' || STRING_ATTRIBUTES.includes(key)) return { ops: STRING_OPS, value: 'string' };
    if (NUMERIC_ATTRIBUTES.includes(key)) return { ops: NUMERIC_OPS, value: 'number' };
    return undefined;
  },
  canonicalKey: (entity, key) => (entity === 'attribute' && key === 'creation_time' ? 'creation_timestamp' : key),
  orderable: (entity, key) => entity === 'attribute' && [...NUMERIC_ATTRIBUTES, 'name', 'model_id'].includes(key),
};

export const parseLoggedModelFilter = (f: string | undefined): Clause<LoggedModelEntity>[] => parseDomainFilter(LOGGED_MODEL_SEARCH, f);
export const parseLoggedModelOrderBy = (o: readonly string[] | undefined): Order<LoggedModelEntity>[] => parseDomainOrderBy(LOGGED_MODEL_SEARCH, o);
