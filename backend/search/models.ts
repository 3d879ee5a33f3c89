import { LIST_OPS, NUMERIC_OPS, STRING_OPS, parseDomainFilter, parseDomainOrderBy, type Clause, type DomainSpec, type Order } from './domain';

export type ModelEntity = 'attribute' | 'tag';

export const REGISTERED_MODEL_SEARCH: DomainSpec<ModelEntity> = {
  name: 'registered models',
  entities: { attribute: 'attribute', attributes: 'attribute', '': 'attribute', tag: 'tag', tags: 'tag' },
  rules: (entity, key) => (entity === 'tag' || key === 'name' ? { ops: STRING_OPS, value: 'string' } : undefined),
  canonicalKey: (entity, key) => (entity === 'attribute' && key === 'timestamp' ? 'creation_timestamp' : key),
  orderable: (entity, key) => entity === 'attribute' && ['name', 'creation_timestamp', 'last_updated_timestamp'].includes(key),
};

export const MODEL_VERSION_SEARCH: DomainSpec<ModelEntity> = {
  name: 'model versions',
  entities: { attribute: 'attribute', attributes: 'attribute', '': 'attribute', tag: 'tag', tags: 'tag' },
  rules: (entity, key) => {
    if (entity === 'tag') return { ops: STRING_OPS, value: 'string' };
    if (key === 'name' || key === 'source_path') return { ops: STRING_OPS, value: 'string' };
    if (key === 'run_id') return { ops: [...STRING_OPS, ...LIST_OPS], value: 'string', listKeys: ['run_id'] };
    if (key === 'version_number') return { ops: NUMERIC_OPS, value: 'number' };
    return undefined;
  },
  canonicalKey: (entity, key) => (entity === 'attribute' && key === 'timestamp' ? 'creation_timestamp' : key),
  orderable: (entity, key) => entity === 'attribute' && ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'].includes(key),
};

export const parseModelFilter = (f: string | undefined): Clause<ModelEntity>[] => parseDomainFilter(REGISTERED_MODEL_SEARCH, f);
export const parseModelOrderBy = (o: readonly string[] | undefined): Order<ModelEntity>[] => parseDomainOrderBy(REGISTERED_MODEL_SEARCH, o);
export const parseVersionFilter = (f: string | undefined): Clause<ModelEntity>[] => parseDomainFilter(MODEL_VERSION_SEARCH, f);
export const parseVersionOrderBy = (o: readonly string[] | undefined): Order<ModelEntity>[] => parseDomainOrderBy(MODEL_VERSION_SEARCH, o);
