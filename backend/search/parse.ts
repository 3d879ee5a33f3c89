import { invalidParam } from '../core/errors';
import { tokenize, type Token } from './tokenizer';

export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';
export type RawValue = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'list'; values: string[] };

/** One comparison of a filter, before the search domain (runs, experiments, models) checks it. */
export interface RawClause {
  /** `metrics`, `params`, `tags`, … as written; undefined for a bare attribute key. */
  entity: string | undefined;
  key: string;
  op: Comparator;
  value: RawValue;
}

/** Parses `<identifier> <comparator> <value> [AND …]`: MLflow's grammar (no OR, no grouping). */
export function parseFilter(filter: string | undefined): RawClause[] {
  if (filter === undefined || filter.trim() === '') return [];
  const tokens = tokenize(filter);
  const clauses: RawClause[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw invalidParam(`Invalid clause(s) in filter string: '${filter}'. ${why}`);
  };
  while (i < tokens.length) {
    if (clauses.length > 0) {
      const t = tokens[i];
      if (!(t?.kind === 'ident' && !t.quoted && t.text.toUpperCase() === 'AND')) fail(`Expected AND, found ${describe(t)}.`);
      i++;
    }
    const ident = readIdentifier(tokens, i, fail);
    i = ident.next;
    const op = readComparator(tokens, i, fail);
    i = op.next;
    const value = readValue(tokens, i, fail);
    i = value.next;
    clauses.push({ entity: ident.entity, key: ident.key, op: op.op, value: value.value });
  }
  return clauses;
}

type Fail = (why: string) => never;

export function readIdentifier(tokens: Token[], i: number, fail: Fail): { entity: string | undefined; key: string; next: number } {
  const t = tokens[i];
  if (t?.kind !== 'ident') return fail(`Expected an identifier, found ${describe(t)}.`);
  if (t.quoted) return { entity: undefined, key: t.text, next: i + 1 };
  const dot = t.text.indexOf('.');
  if (dot < 0) return { entity: undefined, key: t.text, next: i + 1 };
  const entity = t.text.slice(0, dot);
  const rest = t.text.slice(dot + 1);
  if (rest !== '') return { entity, key: rest, next: i + 1 };
  const quoted = tokens[i + 1];
  if (quoted?.kind === 'ident' && quoted.quoted) return { entity, key: quoted.text, next: i + 2 };
  if (quoted?.kind === 'string') return { entity, key: quoted.text, next: i + 2 };
  return fail(`Missing key after '${t.text}'.`);
}

function readComparator(tokens: Token[], i: number, fail: Fail): { op: Comparator; next: number } {
  const t = tokens[i];
  if (t?.kind === 'op') return { op: t.text as Comparator, next: i + 1 };
  if (t?.kind === 'ident' && !t.quoted) {
    const word = t.text.toUpperCase();
    if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') return { op: word, next: i + 1 };
    const n = tokens[i + 1];
    if (word === 'NOT' && n?.kind === 'ident' && n.text.toUpperCase() === 'IN') return { op: 'NOT IN', next: i + 2 };
  }
  return fail(`Expected a comparator, found ${describe(t)}.`);
}

function readValue(tokens: Token[], i: number, fail: Fail): { value: RawValue; next: number } {
  const t = tokens[i];
  if (t?.kind === 'number') return { value: { kind: 'number', value: t.value }, next: i + 1 };
  if (t?.kind === 'string') return { value: { kind: 'string', value: t.text }, next: i + 1 };
  if (t?.kind === 'punct' && t.text === '(') {
    const values: string[] = [];
    let j = i + 1;
    for (;;) {
      const v = tokens[j];
      if (v?.kind === 'string') values.push(v.text);
      else if (v?.kind === 'number') values.push(v.text);
      else return fail(`Expected a quoted value in the list, found ${describe(v)}.`);
      const sep = tokens[j + 1];
      j += 2;
      if (sep?.kind === 'punct' && sep.text === ')') break;
      if (!(sep?.kind === 'punct' && sep.text === ',')) return fail(`Expected ',' or ')' in the list, found ${describe(sep)}.`);
    }
    return { value: { kind: 'list', values }, next: j };
  }
  return fail(`Expected a value, found ${describe(t)}.`);
}

export function describe(t: Token | undefined): string {
  if (!t) return 'the end of the filter';
  if (t.kind === 'number') return `'${t.text}'`;
  return `'${t.text}'`;
}

export interface OrderClause {
  entity: string | undefined;
  key: string;
  asc: boolean;
}

/** Parses one `order_by` entry: `<identifier> [ASC|DESC]`. */
export function parseOrderBy(s: string): OrderClause {
  const fail: Fail = (why) => {
    throw invalidParam(`Invalid order_by clause '${s}'. ${why}`);
  };
  const tokens = tokenize(s);
  const ident = readIdentifier(tokens, 0, fail);
  let asc = true;
  let i = ident.next;
  const dir = tokens[i];
  if (dir) {
    const word = dir.kind === 'ident' && !dir.quoted ? dir.text.toUpperCase() : '';
    if (word !== 'ASC' && word !== 'DESC') fail(`Expected ASC or DESC, found ${describe(dir)}.`);
    asc = word === 'ASC';
    i++;
  }
  if (i < tokens.length) fail(`Unexpected ${describe(tokens[i])}.`);
  return { entity: ident.entity, key: ident.key, asc };
}
