import { NUMERIC_OPS, STRING_OPS, parseDomainFilter, parseDomainOrderBy, type Clause, type DomainSpec, type Order } from './domain';

export type ExperimentEntity = 'attribute' | 'tag';

export const EXPERIMENT_SEARCH: DomainSpec<ExperimentEntity> = {
  name: 'experiments',
  entities: { attribute: 'attribute', attributes: 'attribute', attr: 'attribute', '': 'attribute', tag: 'tag', tags: 'tag' },
  rules: (entity, key) => {
    if (entity === 'tag') return { ops: STRING_OPS, value: 'string' };
    if (key === 'name') return { ops: STRING_OPS, value: 'string' };
    if (key === 'creation_time' || key === 'last_update_time') return { ops: NUMERIC_OPS, value: 'number' };
    return undefined;
  },
  orderable: (entity, key) => entity === 'attribute' && ['name', 'experiment_id', 'creation_time', 'last_update_time'].includes(key),
};

export const parseExperimentFilter = (f: string | undefined): Clause<ExperimentEntity>[] => parseDomainFilter(EXPERIMENT_SEARCH, f);
export const parseExperimentOrderBy = (o: readonly string[] | undefined): Order<ExperimentEntity>[] => parseDomainOrderBy(EXPERIMENT_SEARCH, o);
