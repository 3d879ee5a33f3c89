import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelVersion, Run } from '../../backend/api/mlflow';
import type { CairnClient } from '../../backend/client/cairn-client';
import { ServingClient } from '../../backend/client/serving-client';

/** Every file under `dir`, relative, `/`-separated. */
export function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/'));
}

/**
 * What a training script does through the mlflow client: a run with metrics, the model folder
 * uploaded as artifacts under `model/`, and `register_model` of it. Returns the run and version.
 */
export async function publishModel(
  client: CairnClient,
  dir: string,
  opts: { name: string; experiment?: string; metrics?: Record<string, number>; tags?: Record<string, string> },
): Promise<{ run: Run; version: ModelVersion }> {
  const experimentId = await client.ensureExperiment(opts.experiment ?? 'serving-tests');
  const run = await client.createRun({ experimentId, tags: Object.entries(opts.tags ?? {}).map(([key, value]) => ({ key, value })) });
  const metrics = Object.entries(opts.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: Date.now(), step: 0 }));
  if (metrics.length) await client.logBatch(run.info.run_id, { metrics });
  for (const f of filesUnder(dir)) await client.uploadArtifact(run.info, `model/${f}`, fs.readFileSync(path.join(dir, f)));
  await client.updateRun(run.info.run_id, { status: 'FINISHED', endTime: Date.now() });
  const version = await new ServingClient(client).registerModel(opts.name, `${run.info.artifact_uri}/model`, { runId: run.info.run_id });
  return { run: await client.getRun(run.info.run_id), version };
}
