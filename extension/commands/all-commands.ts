import { connectRemote } from './backend/connect-remote';
import { openDashboard } from './backend/open-dashboard';
import { restartBackend } from './backend/restart';
import { showInfo } from './backend/show-info';
import { showOutput } from './backend/show-output';
import { useLocal } from './backend/use-local';
import type { CairnCommand } from './command';
import { copyDeploymentUrl } from './deployments/copy-url';
import { refreshDeployments } from './deployments/refresh';
import { rollbackDeployment } from './deployments/rollback';
import { sendTestRequest } from './deployments/send-request';
import { openTestRequest } from './deployments/test-request';
import { undeploy } from './deployments/undeploy';
import { deployVersion } from './models/deploy';
import { openModelCard } from './models/open-card';
import { promoteVersion } from './models/promote';
import { refreshModels } from './models/refresh';
import { registerModel } from './models/register';
import { addDataset } from './datasets/add';
import { checkoutDatasetVersion } from './datasets/checkout';
import { diffDatasetVersions } from './datasets/diff';
import { refreshDatasets } from './datasets/refresh';
import { pullDatasets, pushDatasets } from './datasets/transfer';
import { reproduceRunCommand } from './run/reproduce';
import { openDriftReport } from './monitoring/open-drift-report';
import { refreshMonitors } from './monitoring/refresh-monitors';
import { refreshPipeline } from './monitoring/refresh-pipeline';
import { retrainNow } from './monitoring/retrain-now';
import { runDriftReport } from './monitoring/run-drift-report';
import { runPipeline } from './monitoring/run-pipeline';
import { copyRunId } from './run/copy-id';
import { deleteRuns } from './run/delete';
import { noteRun } from './run/note';
import { openRun } from './run/open';
import { openRunLog } from './run/open-log';
import { renameRun } from './run/rename';
import { restoreRuns } from './run/restore';
import { starRun } from './run/star';
import { tagRun } from './run/tag';
import { unstarRun } from './run/unstar';
import { clearFilter } from './runs/clear-filter';
import { compareRuns } from './runs/compare';
import { diffRuns } from './runs/diff';
import { diffRunCode } from './runs/diff-code';
import { filterRuns } from './runs/filter';
import { openTable } from './runs/open-table';
import { refreshRuns } from './runs/refresh';
import { sortRuns } from './runs/sort';
import { toggleDeleted } from './runs/toggle-deleted';
import { toggleCodeLens } from './track/toggle-codelens';
import { trackRun } from './track/track-run';
import { trackWithParams } from './track/track-with-params';

/** The registry: one line per command module. */
export const ALL_COMMANDS: CairnCommand[] = [
  showInfo, restartBackend, connectRemote, useLocal, openDashboard, showOutput,
  trackRun, trackWithParams, toggleCodeLens,
  refreshRuns, filterRuns, clearFilter, sortRuns, toggleDeleted, openTable, compareRuns, diffRuns, diffRunCode,
  openRun, starRun, unstarRun, renameRun, noteRun, tagRun, deleteRuns, restoreRuns, copyRunId, openRunLog,
  refreshModels, registerModel, promoteVersion, deployVersion, openModelCard,
  refreshDeployments, openTestRequest, sendTestRequest, rollbackDeployment, undeploy, copyDeploymentUrl,
  refreshDatasets, addDataset, checkoutDatasetVersion, diffDatasetVersions, pushDatasets, pullDatasets, reproduceRunCommand,
  runDriftReport, openDriftReport, runPipeline, refreshPipeline, retrainNow, refreshMonitors,
];
