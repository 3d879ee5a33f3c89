// `GET /api/cairn/v1/pipelines/status`: the workspace's cairn.yaml with each stage's state and the
// last execution, for the extension's pipeline view and the dashboard.
import * as path from 'node:path';
import type { PipelineStatusResponse } from '../api/pipelines';
import { parseRunFilter, parseRunOrderBy } from '../search/runs';
import type { Route } from '../server/router';
import type { ExperimentStore, RunStore } from '../store/metadata-store';
import { loadPipeline } from './pipeline-spec';
import { pipelineFile } from './pipeline-runner';
import { pipelineStatus, type LastExecution } from './pipeline-status';

/** The experiment `cairn pipeline run` records into (see client-tracker.ts). */
export const PIPELINE_EXPERIMENT = 'pipelines';

export interface PipelineRouteDeps {
  storeDir: string;
  runs: ExperimentStore & RunStore;
}

async function lastExecution(runs: PipelineRouteDeps['runs'], experimentId: string): Promise<LastExecution | undefined> {
  const page = { offset: 0, viewType: 'ACTIVE_ONLY' as const, experimentIds: [experimentId] };
  const parents = await runs.searchRuns({ ...page, maxResults: 1, filter: parseRunFilter("tags.`cairn.pipeline` = 'true'"), orderBy: parseRunOrderBy(['attributes.start_time DESC']) });
  const parent = parents.items[0];
  if (!parent) return undefined;
  const children = await runs.searchRuns({ ...page, maxResults: 1000, filter: parseRunFilter(`tags.\`mlflow.parentRunId\` = '${parent.info.run_id}'`), orderBy: [] });
  return { parent, children: children.items };
}

export function pipelineRoutes(deps: PipelineRouteDeps): Route[] {
  const workspace = path.dirname(path.resolve(deps.storeDir));
  return [
    {
      method: 'GET',
      path: '/api/cairn/v1/pipelines/status',
      handler: async (): Promise<PipelineStatusResponse> => {
        const spec = loadPipeline(pipelineFile(workspace));
        const experiment = await deps.runs.getExperimentByName(PIPELINE_EXPERIMENT);
        const last = experiment ? await lastExecution(deps.runs, experiment.experiment_id) : undefined;
        return pipelineStatus(workspace, spec, last, experiment?.experiment_id);
      },
    },
  ];
}
