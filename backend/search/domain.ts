import { invalidParam } from '../core/errors';
import { parseFilter, parseOrderBy, type Comparator, type RawClause } from './parse';

/** What a search domain (runs, experiments, models, versions) accepts for one kind of key. */
export interface KeyRule {
  ops: readonly Comparator[];
  value: 'number' | 'string';
  /** Only these keys (after alias mapping); undefined = any key. */
  keys?: Readonly<Record<string, string>>;
  /** Keys that also take `IN (…)` lists. */
  listKeys?: readonly string[];
}

export interface DomainSpec<E extends string> {
  name: string;
  /** Entity words as written (`metrics`, `params`, …) → canonical entity; '' is a bare key. */
  entities: Readonly<Record<string, E>>;
  rules: (entity: E, key: string) => KeyRule | undefined;
  orderable: (entity: E, key: string) => boolean;
  /** Canonical key for an entity's aliases (`created` → `start_time`). */
  canonicalKey?: (entity: E, key: string) => string;
}

export interface Clause<E extends string> {
  entity: E;
  key: string;
  op: Comparator;
  value: number | string | string[];
}

export interface Order<E extends string> {
  entity: E;
  key: string;
  asc: boolean;
}

export const NUMERIC_OPS: readonly Comparator[] = ['>', '>=', '=', '!=', '<', '<='];
export const STRING_OPS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
export const LIST_OPS: readonly Comparator[] = ['IN', 'NOT IN'];

function entityOf<E extends string>(spec: DomainSpec<E>, written: string | undefined, what: string): E {
  const e = spec.entities[(written ?? '').toLowerCase()];
  if (e === undefined) {
    throw invalidParam(`Invalid entity type '${written}' in ${what}. Valid types are ${Object.keys(spec.entities).filter(Boolean).join(', ')}.`);
  }
  return e;
}

export function parseDomainFilter<E extends string>(spec: DomainSpec<E>, filter: string | undefined): Clause<E>[] {
  return parseFilter(filter).map((raw) => checkClause(spec, raw));
}

function checkClause<E extends string>(spec: DomainSpec<E>, raw: RawClause): Clause<E> {
  const entity = entityOf(spec, raw.entity, `the ${spec.name} filter`);
  const key = spec.canonicalKey ? spec.canonicalKey(entity, raw.key) : raw.key;
  const rule = spec.rules(entity, key);
  const where = raw.entity ? `${raw.entity}.${raw.key}` : raw.key;
  if (!rule) throw invalidParam(`Invalid attribute key '${raw.key}' specified in the ${spec.name} filter.`);
  const isList = raw.op === 'IN' || raw.op === 'NOT IN';
  if (isList) {
    if (!rule.listKeys?.includes(key)) {
      throw invalidParam(`Invalid comparator '${raw.op}' for '${where}': only ${rule.listKeys?.join(', ') || 'no keys'} accept IN lists here.`);
    }
    if (raw.value.kind !== 'list') throw invalidParam(`Expected a list like ('a', 'b') after '${raw.op}' for '${where}'.`);
    return { entity, key, op: raw.op, value: raw.value.values };
  }
  if (!rule.ops.includes(raw.op)) {
    throw invalidParam(`Invalid comparator '${raw.op}' for '${where}'; expected one of ${rule.ops.join(', ')}.`);
  }
  if (rule.value === 'number') {
    if (raw.value.kind !== 'number') throw invalidParam(`Expected a numeric value for '${where}', found a string or list.`);
    return { entity, key, op: raw.op, value: raw.value.value };
  }
  if (raw.value.kind !== 'string') throw invalidParam(`Expected a quoted string value for '${where}'.`);
  return { entity, key, op: raw.op, value: raw.value.value };
}

export function parseDomainOrderBy<E extends string>(spec: DomainSpec<E>, orderBy: readonly string[] | undefined): Order<E>[] {
  return (orderBy ?? []).map((s) => {
    const o = parseOrderBy(s);
    const entity = entityOf(spec, o.entity, `order_by '${s}'`);
    const key = spec.canonicalKey ? spec.canonicalKey(entity, o.key) : o.key;
    if (!spec.orderable(entity, key)) throw invalidParam(`Invalid order_by clause '${s}': cannot order ${spec.name} by '${o.key}'.`);
    return { entity, key, asc: o.asc };
  });
}
