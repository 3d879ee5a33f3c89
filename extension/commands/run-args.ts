import * as vscode from 'vscode';
import type { Run } from '../../backend/api/mlflow';
import { runDescription, runName } from '../runs/run-presentation';
import type { RunsNode } from '../runs/runs-tree';
import type { CairnServices } from './command';

/**
 * The runs a command acts on, from whatever invoked it: tree nodes (clicked + multi-selection), a
 * run id or ids (webviews, tests, other commands), or nothing (palette → quick pick).
 */
export async function runsFromArgs(s: CairnServices, args: unknown[], opts: { min: number; max?: number; title: string }): Promise<Run[] | undefined> {
  const ids = idsFromArgs(args);
  if (ids.length >= opts.min) {
    const client = await s.backend.ready();
    const picked = ids.slice(0, opts.max ?? ids.length);
    return Promise.all(picked.map((id) => s.model.run(id) ?? client.getRun(id)));
  }
  return pickRuns(s, opts);
}

export function idsFromArgs(args: unknown[]): string[] {
  const [first, second] = args;
  const ids: string[] = [];
  const add = (x: unknown) => {
    if (typeof x === 'string') ids.push(x);
    else if (x && typeof x === 'object' && (x as RunsNode).kind === 'run') ids.push((x as RunsNode & { kind: 'run' }).run.info.run_id);
  };
  // Tree menus pass (clicked, allSelected); the selection wins when it contains the clicked node.
  if (Array.isArray(second) && second.length > 0) second.forEach(add);
  else if (Array.isArray(first)) first.forEach(add);
  else add(first);
  return [...new Set(ids)];
}

async function pickRuns(s: CairnServices, opts: { min: number; max?: number; title: string }): Promise<Run[] | undefined> {
  const client = await s.backend.ready();
  const exps = await client.searchExperiments();
  const res = await client.searchRuns({ experiment_ids: exps.map((e) => e.experiment_id), order_by: ['attributes.start_time DESC'], max_results: 500 });
  const expName = new Map(exps.map((e) => [e.experiment_id, e.name]));
  const items = res.runs.map((run) => ({ label: runName(run), description: runDescription(run), detail: `${expName.get(run.info.experiment_id) ?? ''} · ${run.info.run_id}`, run }));
  const many = (opts.max ?? Infinity) > 1;
  if (!many) {
    const one = await vscode.window.showQuickPick(items, { title: opts.title, matchOnDescription: true, matchOnDetail: true });
    return one ? [one.run] : undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: opts.title, canPickMany: true, matchOnDescription: true, matchOnDetail: true });
  if (!picked) return undefined;
  if (picked.length < opts.min || picked.length > (opts.max ?? Infinity)) {
    void vscode.window.showWarningMessage(`Cairn: pick ${opts.max === opts.min ? opts.min : `at least ${opts.min}`} runs.`);
    return undefined;
  }
  return picked.map((p) => p.run);
}
