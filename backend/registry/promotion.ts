import type { KeyValue, Metric, ModelVersion } from '../api/mlflow';
import type { GateCheck, PromoteRequest, PromoteResponse } from '../api/registry';
import { CairnError, invalidParam } from '../core/errors';
import type { Comparator } from '../search/parse';
import { parseRunFilter, type RunClause } from '../search/runs';
import type { MetadataStore } from '../store/metadata-store';
import { validateAlias } from '../tracking/validate';

/** Version tag recording the last promotion's checks (JSON). */
export const PROMOTION_TAG = 'cairn.promotion';

interface Evidence {
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

const LOWER_IS_BETTER = /loss|error|mse|mae|rmse|mape|latency|perplexity/i;

/**
 * Moves `alias` to `version` if every gate holds: `require` clauses (run-search grammar, on the
 * version's run) and, with `against`, no metric worse than the version holding that alias now.
 * A refusal changes nothing and says which gate failed and why.
 */
export async function promote(meta: MetadataStore, name: string, version: string, req: PromoteRequest): Promise<PromoteResponse> {
  const alias = validateAlias(req.alias);
  const candidate = await meta.getModelVersion(name, version);
  const gates = (req.require ?? []).flatMap((r) => parseRunFilter(r));
  for (const g of gates) if (g.entity === 'dataset') throw invalidParam(`Promotion gates can test metrics, params, tags and run attributes, not '${g.entity}s.${g.key}'.`);
  const evidence = await evidenceOf(meta, candidate);
  const checks: GateCheck[] = gates.map((g) => checkGate(g, evidence));
  let previous: ModelVersion | undefined;
  try {
    previous = await meta.getVersionByAlias(name, alias);
  } catch (err) {
    if (!CairnError.is(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
  }
  if (req.against) checks.push(...(await compareAgainst(meta, name, validateAlias(req.against), candidate, evidence, gates)));
  const failed = checks.filter((c) => !c.passed);
  const base = { name, version: candidate.version, alias, previous_version: previous?.version, checks };
  if (failed.length > 0) {
    return { ...base, promoted: false, reason: `refused to move '${alias}' to ${name}/${candidate.version}: ${failed.map((c) => c.detail).join('; ')}` };
  }
  await meta.setAlias(name, alias, candidate.version);
  await meta.setModelVersionTag(name, candidate.version, PROMOTION_TAG, JSON.stringify({ alias, time: Date.now(), previous_version: previous?.version, checks }).slice(0, 5000));
  return { ...base, promoted: true };
}

async function evidenceOf(meta: MetadataStore, mv: ModelVersion): Promise<Evidence> {
  if (!mv.run_id) return { metrics: [], params: [], tags: [] };
  const run = await meta.getRun(mv.run_id);
  return { metrics: run.data.metrics, params: run.data.params, tags: [...run.data.tags, { key: 'run_id', value: run.info.run_id }] };
}

function checkGate(g: RunClause, e: Evidence): GateCheck {
  const label = `${g.entity === 'attribute' ? '' : `${g.entity}s.`}${g.key} ${g.op} ${JSON.stringify(g.value)}`;
  const actual = g.entity === 'metric' ? e.metrics.find((m) => m.key === g.key)?.value : (g.entity === 'param' ? e.params : e.tags).find((t) => t.key === g.key)?.value;
  if (actual === undefined) return { gate: label, passed: false, detail: `${g.entity}s.${g.key} was not logged by the version's run, required ${g.op} ${JSON.stringify(g.value)}` };
  const passed = compare(actual, g.op, g.value);
  return { gate: label, passed, detail: `${g.entity}s.${g.key} = ${actual}${passed ? ', satisfies' : ', required'} ${g.op} ${JSON.stringify(g.value)}` };
}

function compare(actual: number | string, op: Comparator, expected: number | string | string[]): boolean {
  if (Array.isArray(expected)) return op === 'IN' ? expected.includes(String(actual)) : !expected.includes(String(actual));
  if (typeof expected === 'number') {
    const a = Number(actual);
    switch (op) {
      case '>': return a > expected;
      case '>=': return a >= expected;
      case '<': return a < expected;
      case '<=': return a <= expected;
      case '=': return a === expected;
      case '!=': return a !== expected;
      default: return false;
    }
  }
  const a = String(actual);
  switch (op) {
    case '=': return a === expected;
    case '!=': return a !== expected;
    case 'LIKE': return likeToRegex(expected, false).test(a);
    case 'ILIKE': return likeToRegex(expected, true).test(a);
    default: return false;
  }
}

const likeToRegex = (p: string, ci: boolean) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, ci ? 'i' : '');

/**
 * The candidate must not be worse than the incumbent on the metrics the gates name (direction from
 * the gate's comparator) or, with no metric gates, on every metric both runs logged (lower is better
 * for names like loss/error/mse, higher otherwise).
 */
async function compareAgainst(meta: MetadataStore, name: string, against: string, candidate: ModelVersion, e: Evidence, gates: RunClause[]): Promise<GateCheck[]> {
  let incumbent: ModelVersion;
  try {
    incumbent = await meta.getVersionByAlias(name, against);
  } catch (err) {
    if (!CairnError.is(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
    return [{ gate: `against ${against}`, passed: true, detail: `no version holds '${against}' yet, nothing to compare with` }];
  }
  if (incumbent.version === candidate.version) return [{ gate: `against ${against}`, passed: true, detail: `version ${candidate.version} already holds '${against}'` }];
  const theirs = await evidenceOf(meta, incumbent);
  const metricGates = gates.filter((g) => g.entity === 'metric' && g.op !== '=' && g.op !== '!=');
  const keys = metricGates.length
    ? metricGates.map((g) => ({ key: g.key, higher: g.op === '>' || g.op === '>=' }))
    : e.metrics.filter((m) => theirs.metrics.some((t) => t.key === m.key)).map((m) => ({ key: m.key, higher: !LOWER_IS_BETTER.test(m.key) }));
  if (keys.length === 0) return [{ gate: `against ${against}`, passed: false, detail: `no metric to compare with ${name}/${incumbent.version} ('${against}'): the two runs share none` }];
  return keys.map(({ key, higher }) => {
    const mine = e.metrics.find((m) => m.key === key)?.value;
    const other = theirs.metrics.find((m) => m.key === key)?.value;
    const gate = `metrics.${key} ${higher ? '>=' : '<='} ${against}`;
    if (mine === undefined) return { gate, passed: false, detail: `metrics.${key} was not logged by version ${candidate.version}'s run` };
    if (other === undefined) return { gate, passed: true, detail: `${name}/${incumbent.version} ('${against}') has no metrics.${key}` };
    const passed = higher ? mine >= other : mine <= other;
    return { gate, passed, detail: `metrics.${key} = ${mine} vs ${other} for ${name}/${incumbent.version} ('${against}')${passed ? '' : `: ${higher ? 'lower' : 'higher'} is worse`}` };
  });
}
