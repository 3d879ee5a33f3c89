/**
 * The runs the tree shows: experiments, and the runs of each experiment that was expanded, kept
 * current by change events. Pure (no `vscode`): it tells the tree which nodes changed so only
 * those are refreshed.
 */
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { Experiment, Run, ViewType } from '../../backend/api/mlflow';

/** What the model needs from the backend (the typed client provides it). */
export interface RunsSource {
  searchExperiments(viewType?: ViewType): Promise<Experiment[]>;
  searchRuns(req: { experiment_ids: string[]; filter?: string; order_by?: string[]; run_view_type?: ViewType; max_results?: number }): Promise<{ runs: Run[]; next_page_token?: string }>;
  getRun(runId: string): Promise<Run>;
}

export interface RunsQuery {
  /** MLflow filter syntax, e.g. `metrics.acc > 0.9 and params.lr = '0.01'`. */
  filter: string;
  orderBy: string;
  showDeleted: boolean;
}

export const DEFAULT_QUERY: RunsQuery = { filter: '', orderBy: 'attributes.start_time DESC', showDeleted: false };

/** A change: the whole tree (`undefined`), an experiment's children, or one run node. */
export type Change = { kind: 'root' } | { kind: 'experiment'; experimentId: string } | { kind: 'run'; runId: string };

interface ExperimentRuns {
  runs: Run[];
  truncated: boolean;
}

export class RunsModel {
  private experiments: Experiment[] | undefined;
  /** True when the store had no run at all last time we looked (the tree then shows its welcome view). */
  private empty: boolean | undefined;
  private readonly runsByExperiment = new Map<string, ExperimentRuns>();
  private readonly runIndex = new Map<string, Run>();
  query: RunsQuery = { ...DEFAULT_QUERY };

  constructor(
    private readonly source: () => RunsSource | undefined,
    private readonly maxRuns: () => number,
  ) {}

  reset(): void {
    this.experiments = undefined;
    this.empty = undefined;
    this.runsByExperiment.clear();
    this.runIndex.clear();
  }

  async listExperiments(): Promise<Experiment[]> {
    const src = this.source();
    if (!src) return [];
    this.experiments ??= (await src.searchExperiments('ACTIVE_ONLY')).sort((a, b) => b.last_update_time - a.last_update_time || a.name.localeCompare(b.name));
    return this.experiments;
  }

  /** Whether any run exists (one cheap search), so an empty store shows the welcome view instead of bare experiments. */
  async hasAnyRun(): Promise<boolean> {
    const src = this.source();
    if (!src) return false;
    if (this.empty === undefined) {
      const exps = await this.listExperiments();
      const res = exps.length ? await src.searchRuns({ experiment_ids: exps.map((e) => e.experiment_id), run_view_type: 'ALL', max_results: 1 }) : { runs: [] };
      this.empty = res.runs.length === 0;
    }
    return !this.empty;
  }

  async listRuns(experimentId: string): Promise<ExperimentRuns> {
    const cached = this.runsByExperiment.get(experimentId);
    if (cached) return cached;
    const src = this.source();
    if (!src) return { runs: [], truncated: false };
    const max = this.maxRuns();
    const res = await src.searchRuns({
      experiment_ids: [experimentId],
      filter: this.query.filter || undefined,
      order_by: [this.query.orderBy],
      run_view_type: this.query.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
      max_results: max,
    });
    const entry = { runs: res.runs, truncated: !!res.next_page_token };
    this.runsByExperiment.set(experimentId, entry);
    for (const r of res.runs) this.runIndex.set(r.info.run_id, r);
    return entry;
  }

  run(runId: string): Run | undefined {
    return this.runIndex.get(runId);
  }

  /** Every run currently loaded (for quick picks). */
  loadedRuns(): Run[] {
    return [...this.runIndex.values()];
  }

  setQuery(q: Partial<RunsQuery>): void {
    this.query = { ...this.query, ...q };
    this.runsByExperiment.clear();
    this.runIndex.clear();
  }

  /** Applies one change event; returns the nodes to refresh (none when nothing shown changed). */
  async apply(e: DeliveredEvent): Promise<Change[]> {
    switch (e.type) {
      case 'experiment.created':
      case 'experiment.updated':
        this.experiments = undefined;
        return [{ kind: 'root' }];
      case 'run.created':
        if (this.empty !== false) {
          // The first run of the store: the tree leaves its welcome view.
          this.empty = false;
          this.experiments = undefined;
          return [{ kind: 'root' }];
        }
        return this.reloadRun(e.runId, e.experimentId, true);
      case 'run.updated':
      case 'run.data':
        return this.reloadRun(e.runId, e.experimentId, false);
      case 'metrics.appended': {
        const run = this.runIndex.get(e.runId);
        if (!run) return [];
        const metrics = new Map(run.data.metrics.map((m) => [m.key, m]));
        for (const l of e.latest) metrics.set(l.key, { key: l.key, value: typeof l.value === 'number' ? l.value : Number(l.value), step: l.step, timestamp: l.timestamp });
        run.data.metrics = [...metrics.values()];
        return this.query.filter ? this.reloadRun(e.runId, e.experimentId, false) : [{ kind: 'run', runId: e.runId }];
      }
      default:
        return [];
    }
  }

  /**
   * Refetches one run and places it: a new run (or one that now matches the filter) changes its
   * experiment's children; an updated one only its own node.
   */
  private async reloadRun(runId: string, experimentId: string, created: boolean): Promise<Change[]> {
    const loaded = this.runsByExperiment.get(experimentId);
    const knownExperiment = this.experiments?.some((x) => x.experiment_id === experimentId);
    const changes: Change[] = [];
    if (this.experiments && !knownExperiment) {
      this.experiments = undefined;
      changes.push({ kind: 'root' });
    }
    if (!loaded) return changes;
    const src = this.source();
    if (!src) return changes;
    const run = await this.fetchIfShown(src, runId, experimentId);
    const idx = loaded.runs.findIndex((r) => r.info.run_id === runId);
    if (!run) {
      if (idx < 0) return changes;
      loaded.runs.splice(idx, 1);
      this.runIndex.delete(runId);
      return [...changes, { kind: 'experiment', experimentId }];
    }
    this.runIndex.set(runId, run);
    if (idx >= 0) {
      const prior = loaded.runs[idx]!;
      // Mutate in place: the tree keeps the same element object, so only this node re-renders.
      Object.assign(prior, run);
      this.runIndex.set(runId, prior);
      return [...changes, { kind: 'run', runId }];
    }
    if (created && this.query.orderBy === DEFAULT_QUERY.orderBy) loaded.runs.unshift(run);
    else {
      loaded.runs.push(run);
      loaded.runs.sort(orderComparator(this.query.orderBy));
    }
    return [...changes, { kind: 'experiment', experimentId }];
  }

  /** The run if it belongs in the view under the current filter and lifecycle, else undefined. */
  private async fetchIfShown(src: RunsSource, runId: string, experimentId: string): Promise<Run | undefined> {
    if (!this.query.filter) {
      const run = await src.getRun(runId);
      return run.info.lifecycle_stage === 'deleted' && !this.query.showDeleted ? undefined : run;
    }
    const res = await src.searchRuns({
      experiment_ids: [experimentId],
      filter: `${this.query.filter} and attributes.run_id = '${runId}'`,
      run_view_type: this.query.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
      max_results: 1,
    });
    return res.runs[0];
  }
}

/** A comparator for the orders the sort picker offers (`attributes.start_time DESC`, `metrics.loss ASC` …). */
export function orderComparator(orderBy: string): (a: Run, b: Run) => number {
  const m = /^(attributes|metrics|params)\.(?:`([^`]+)`|"([^"]+)"|(\S+))\s*(ASC|DESC)?$/i.exec(orderBy.trim());
  if (!m) return (a, b) => b.info.start_time - a.info.start_time;
  const [, kind, k1, k2, k3, dir] = m;
  const key = (k1 ?? k2 ?? k3)!;
  const sign = dir?.toUpperCase() === 'DESC' ? -1 : 1;
  const value = (r: Run): number | string | undefined => {
    if (kind === 'metrics') return r.data.metrics.find((x) => x.key === key)?.value;
    if (kind === 'params') return r.data.params.find((x) => x.key === key)?.value;
    const info = r.info as unknown as Record<string, number | string | undefined>;
    return key === 'run_name' ? r.info.run_name : info[key];
  };
  return (a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) return va === vb ? 0 : va === undefined ? 1 : -1; // missing last
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c * sign || b.info.start_time - a.info.start_time;
  };
}
