// PipelineTracker on the backend's API: runs and child runs through the MLflow REST API, outputs
// as run artifacts, the champion and promotion through the model registry.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelVersion } from '../api/mlflow';
import { BackendError, type CairnClient } from '../client/cairn-client';
import { filesOf } from './fingerprint';
import type { PromoteSpec } from './pipeline-spec';
import type { PipelineTracker } from './tracker';

const kv = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));

export function clientTracker(client: CairnClient, experimentName = 'pipelines'): PipelineTracker {
  let experimentId: string | undefined;
  const experiment = async () => (experimentId ??= await client.ensureExperiment(experimentName));
  return {
    async startPipeline(name, tags) {
      const run = await client.createRun({ experimentId: await experiment(), runName: `pipeline ${name}`, tags: kv(tags) });
      return run.info.run_id;
    },
    async startStage(parent, stage) {
      const run = await client.createRun({ experimentId: await experiment(), runName: stage, tags: kv({ ...(parent ? { 'mlflow.parentRunId': parent } : {}), 'cairn.stage': stage }) });
      return run.info.run_id;
    },
    async log(runId, data) {
      if (!runId) return;
      const now = Date.now();
      await client.logBatch(runId, {
        params: kv(data.params ?? {}).map((p) => ({ ...p, value: p.value.slice(0, 6000) })),
        metrics: Object.entries(data.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: now, step: 0 })),
        tags: kv(data.tags ?? {}),
      });
    },
    async end(runId, status) {
      if (runId) await client.updateRun(runId, { status, endTime: Date.now() });
    },
    async championMetric(model, alias, metric) {
      let mv: ModelVersion;
      try {
        mv = (await client.call<{ model_version: ModelVersion }>('GET', '/api/2.0/mlflow/registered-models/alias', { name: model, alias })).model_version;
      } catch (err) {
        if (BackendError.is(err, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
        throw err;
      }
      if (!mv.run_id) return undefined;
      const run = await client.getRun(mv.run_id);
      return run.data.metrics?.find((m) => m.key === metric)?.value as number | undefined;
    },
    async promote(runId, spec: PromoteSpec, workspace) {
      const run = await client.getRun(runId);
      const abs = path.join(workspace, spec.artifact);
      if (!fs.existsSync(abs)) throw new Error(`promote.artifact '${spec.artifact}' does not exist`);
      for (const rel of filesOf(abs)) {
        const artifactPath = rel ? `${spec.artifact}/${rel}` : spec.artifact;
        await client.uploadArtifact(run.info, artifactPath, fs.readFileSync(rel ? path.join(abs, rel) : abs));
      }
      try {
        await client.call('POST', '/api/2.0/mlflow/registered-models/create', { name: spec.model });
      } catch (err) {
        if (!BackendError.is(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      }
      const created = await client.call<{ model_version: ModelVersion }>('POST', '/api/2.0/mlflow/model-versions/create', { name: spec.model, source: `runs:/${runId}/${spec.artifact}`, run_id: runId });
      const version = created.model_version.version;
      await client.call('POST', '/api/2.0/mlflow/registered-models/alias', { name: spec.model, alias: spec.alias, version });
      return { model: spec.model, version, alias: spec.alias };
    },
  };
}
