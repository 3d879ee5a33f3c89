import type { DatasetInput, KeyValue, Metric, Run, RunInfo, RunStatus } from '../api/mlflow';
import { invalidParam } from '../core/errors';
import { newRunName } from '../core/ids';
import { writeDouble } from '../core/wire';
import type { EventBus } from '../events/event-bus';
import type { MetadataStore } from '../store/metadata-store';
import type { MetricHistoryStore, MetricSeries } from '../store/metric-history';
import { isNewerMetric } from './latest';
import { LIMITS, validateKey, validateRunId, validateValueLength } from './validate';

export interface TrackingDeps {
  meta: MetadataStore;
  history: MetricHistoryStore;
  events: EventBus;
}

const RUN_NAME_TAG = 'mlflow.runName';

/**
 * The tracking engine: MLflow's write rules and validation over the stores, with change events.
 * HTTP-free, so the CLI, tests and benches can drive it directly.
 */
export class TrackingService {
  constructor(private readonly deps: TrackingDeps) {}

  get meta(): MetadataStore {
    return this.deps.meta;
  }

  async createRun(req: { experimentId: string; userId?: string; runName?: string; startTime?: number; tags: KeyValue[] }): Promise<Run> {
    req.tags.forEach((t, i) => this.checkTag(t, `tags[${i}]`));
    const tagName = req.tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (req.runName && tagName && req.runName !== tagName) {
      throw invalidParam(`Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${req.runName}', mlflow.runName='${tagName}').`);
    }
    const runName = req.runName || tagName || newRunName();
    const userId = req.userId || req.tags.find((t) => t.key === 'mlflow.user')?.value || '';
    const run = await this.deps.meta.createRun({ experimentId: req.experimentId, userId, runName, startTime: req.startTime ?? Date.now(), tags: req.tags });
    this.deps.events.publish({ type: 'run.created', runId: run.info.run_id, experimentId: run.info.experiment_id });
    return run;
  }

  async updateRun(runId: string, req: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    validateRunId(runId);
    const info = await this.deps.meta.updateRun(runId, req);
    this.deps.events.publish({ type: 'run.updated', runId, experimentId: info.experiment_id, status: info.status });
    return info;
  }

  async deleteRun(runId: string): Promise<void> {
    validateRunId(runId);
    await this.deps.meta.deleteRun(runId);
    const run = await this.deps.meta.getRun(runId);
    this.deps.events.publish({ type: 'run.updated', runId, experimentId: run.info.experiment_id, lifecycle: 'deleted' });
  }

  async restoreRun(runId: string): Promise<void> {
    validateRunId(runId);
    await this.deps.meta.restoreRun(runId);
    const run = await this.deps.meta.getRun(runId);
    this.deps.events.publish({ type: 'run.updated', runId, experimentId: run.info.experiment_id, lifecycle: 'active' });
  }

  /**
   * MLflow's log-batch: limits checked first, then params (write-once), tags (overwrite) and the
   * latest-metric summary commit as one transaction, then the points join the run's history.
   */
  async logBatch(runId: string, batch: { metrics: Metric[]; params: KeyValue[]; tags: KeyValue[] }): Promise<void> {
    validateRunId(runId);
    const { metrics, params, tags } = batch;
    if (metrics.length > LIMITS.batchMetrics) throw invalidParam(`A batch logging request can contain at most ${LIMITS.batchMetrics} metrics. Got ${metrics.length} metrics.`);
    if (params.length > LIMITS.batchParams) throw invalidParam(`A batch logging request can contain at most ${LIMITS.batchParams} params. Got ${params.length} params.`);
    if (tags.length > LIMITS.batchTags) throw invalidParam(`A batch logging request can contain at most ${LIMITS.batchTags} tags. Got ${tags.length} tags.`);
    const total = metrics.length + params.length + tags.length;
    if (total > LIMITS.batchTotal) throw invalidParam(`A batch logging request can contain at most ${LIMITS.batchTotal} total entities. Got ${total}.`);
    metrics.forEach((m, i) => validateKey(m.key, `metrics[${i}].key`));
    const seenParams = new Map<string, string>();
    params.forEach((p, i) => {
      validateKey(p.key, `params[${i}].key`);
      validateValueLength(p.value, LIMITS.paramValue, `params[${i}].value`);
      const prior = seenParams.get(p.key);
      if (prior !== undefined && prior !== p.value) throw invalidParam(`Duplicate parameter keys have been submitted: ['${p.key}'] with different values.`);
      seenParams.set(p.key, p.value);
    });
    tags.forEach((t, i) => this.checkTag(t, `tags[${i}]`));

    const latest = new Map<string, Metric>();
    for (const m of metrics) {
      const cur = latest.get(m.key);
      if (!cur || isNewerMetric(m, cur)) latest.set(m.key, m);
    }
    const uniqueParams = [...seenParams].map(([key, value]) => ({ key, value }));
    const info = await this.deps.meta.assertRunActive(runId);
    await this.deps.meta.logBatch(runId, { params: uniqueParams, tags, latest: [...latest.values()] });
    await this.deps.history.append(runId, metrics);
    const experimentId = info.experiment_id;
    if (metrics.length > 0) {
      this.deps.events.publish({
        type: 'metrics.appended',
        runId,
        experimentId,
        points: metrics.length,
        latest: [...latest.values()].map((m) => ({ key: m.key, value: writeDouble(m.value), step: m.step, timestamp: m.timestamp })),
      });
    }
    if (params.length > 0 || tags.length > 0) {
      this.deps.events.publish({ type: 'run.data', runId, experimentId, params: uniqueParams.map((p) => p.key), tags: tags.map((t) => t.key) });
    }
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    validateRunId(runId);
    await this.deps.meta.deleteTag(runId, key);
    const run = await this.deps.meta.getRun(runId);
    this.deps.events.publish({ type: 'run.data', runId, experimentId: run.info.experiment_id, tags: [key] });
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    validateRunId(runId);
    inputs.forEach(({ dataset }, i) => {
      if (!dataset.name) throw invalidParam(`Missing value for required parameter 'datasets[${i}].dataset.name'.`);
      if (!dataset.digest) throw invalidParam(`Missing value for required parameter 'datasets[${i}].dataset.digest'.`);
      validateValueLength(dataset.name, LIMITS.datasetName, `datasets[${i}].dataset.name`);
      validateValueLength(dataset.digest, LIMITS.datasetDigest, `datasets[${i}].dataset.digest`);
    });
    const info = await this.deps.meta.assertRunActive(runId);
    await this.deps.meta.logInputs(runId, inputs);
    this.deps.events.publish({ type: 'run.data', runId, experimentId: info.experiment_id });
  }

  async metricSeries(runId: string, key: string): Promise<MetricSeries> {
    validateRunId(runId);
    await this.deps.meta.getRun(runId);
    return this.deps.history.read(runId, key);
  }

  private checkTag(t: KeyValue, field: string): void {
    validateKey(t.key, `${field}.key`);
    validateValueLength(t.value, LIMITS.runTagValue, `${field}.value`);
  }
}
