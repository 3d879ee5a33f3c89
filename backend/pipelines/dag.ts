// The stage graph: a stage depends on the stages whose outs it lists among its deps (or under them).
import { CairnError } from '../core/errors';
import type { StageSpec } from './pipeline-spec';

const covers = (out: string, dep: string) => dep === out || dep.startsWith(out + '/') || out.startsWith(dep + '/');

export function upstreamOf(stages: StageSpec[]): Map<string, string[]> {
  const producers = new Map<string, string>();
  for (const s of stages) {
    for (const o of s.outs) {
      const other = producers.get(o);
      if (other) throw new CairnError('INVALID_PARAMETER_VALUE', `cairn.yaml: '${o}' is an out of both '${other}' and '${s.name}'.`);
      producers.set(o, s.name);
    }
  }
  return new Map(stages.map((s) => [s.name, [...new Set(s.deps.flatMap((d) => [...producers].filter(([o, p]) => p !== s.name && covers(o, d)).map(([, p]) => p)))]]));
}

/** Stages in an order where each comes after its upstream stages; `target` limits to it and its ancestors. */
export function executionOrder(stages: StageSpec[], target?: string): StageSpec[] {
  const up = upstreamOf(stages);
  const byName = new Map(stages.map((s) => [s.name, s]));
  if (target && !byName.has(target)) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `No stage '${target}' in cairn.yaml (stages: ${[...byName.keys()].join(', ')}).`);
  const order: StageSpec[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new CairnError('INVALID_PARAMETER_VALUE', `cairn.yaml: stages form a cycle: ${[...path, name].join(' → ')}.`);
    state.set(name, 'visiting');
    for (const u of up.get(name) ?? []) visit(u, [...path, name]);
    state.set(name, 'done');
    order.push(byName.get(name)!);
  };
  for (const s of target ? [byName.get(target)!] : stages) visit(s.name, []);
  return order;
}

/** The graph as text, one edge per line (`a -> b`), then lone stages. */
export function dagText(stages: StageSpec[]): string {
  const up = upstreamOf(stages);
  const lines: string[] = [];
  for (const s of executionOrder(stages)) {
    const parents = up.get(s.name)!;
    if (parents.length === 0) lines.push(`${s.name}`);
    for (const p of parents) lines.push(`${p} -> ${s.name}`);
  }
  return lines.join('\n');
}
