import type { GateResult } from '../api/drift';
import type { GateSpec } from './pipeline-spec';
import type { PipelineTracker } from './tracker';

const OPS = { '>=': (a: number, b: number) => a >= b, '>': (a: number, b: number) => a > b, '<=': (a: number, b: number) => a <= b, '<': (a: number, b: number) => a < b, '==': (a: number, b: number) => a === b };

/** Checks the candidate's metrics against thresholds and against the current champion. */
export async function evaluateGates(gates: GateSpec[], metrics: Record<string, number>, tracker: PipelineTracker): Promise<GateResult[]> {
  const out: GateResult[] = [];
  for (const g of gates) {
    const value = metrics[g.metric];
    if ('op' in g) {
      const passed = value !== undefined && OPS[g.op](value, g.value);
      out.push({ gate: `${g.metric} ${g.op} ${g.value}`, passed, detail: value === undefined ? `metric '${g.metric}' was not produced` : `${g.metric} = ${value}` });
      continue;
    }
    const name = `${g.metric} ${g.direction === 'higher' ? '>=' : '<='} ${g.model}@${g.alias} ${g.direction === 'higher' ? '+' : '-'} ${g.min_delta}`;
    if (value === undefined) {
      out.push({ gate: name, passed: false, detail: `metric '${g.metric}' was not produced` });
      continue;
    }
    const champion = await tracker.championMetric(g.model, g.alias, g.metric);
    if (champion === undefined) {
      out.push({ gate: name, passed: true, detail: `no ${g.model}@${g.alias} with '${g.metric}' yet: the candidate becomes the first` });
      continue;
    }
    const passed = g.direction === 'higher' ? value >= champion + g.min_delta : value <= champion - g.min_delta;
    out.push({ gate: name, passed, detail: `candidate ${value} vs champion ${champion}` });
  }
  return out;
}
