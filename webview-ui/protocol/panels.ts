/**
 * Per-panel protocols: each panel's initial state (embedded in its HTML) and the host requests it
 * may make (the extension refuses the rest).
 */
import type { DataDiffReport } from '../../backend/api/data';
import type { HostActions, HostRequests } from './host';

export interface RunsTableState {
  experimentIds: string[];
}

export interface RunDetailState {
  runId: string;
}

export interface CompareState {
  runIds: string[];
}

/** The diff is computed by the extension (git + the local store) and carried in the state. */
export interface DatasetDiffState {
  report: DataDiffReport;
}

export interface DriftReportState {
  reportId: string;
}

/** A registered model version (its card is fetched, and refetched when the model changes). */
export interface ModelCardState {
  name: string;
  version: string;
}

export type PanelInit =
  | { panel: 'runs-table'; state: RunsTableState }
  | { panel: 'run-detail'; state: RunDetailState }
  | { panel: 'compare'; state: CompareState }
  | { panel: 'dataset-diff'; state: DatasetDiffState }
  | { panel: 'drift-report'; state: DriftReportState }
  | { panel: 'model-card'; state: ModelCardState };
export type PanelName = PanelInit['panel'];

export const PANEL_REQUESTS: Record<PanelName, readonly (keyof HostRequests)[]> = {
  'runs-table': ['experiments', 'searchRuns', 'getRun', 'setTag'],
  'run-detail': ['getRun', 'metricSeries', 'listArtifacts', 'readArtifact', 'setTag', 'experiments'],
  compare: ['getRun', 'metricSeries', 'experiments'],
  'dataset-diff': [],
  'drift-report': ['driftReport'],
  'model-card': ['modelCard', 'experiments'],
};

export const PANEL_ACTIONS: Record<PanelName, readonly (keyof HostActions)[]> = {
  'runs-table': ['openRun', 'compareRuns', 'diffRuns', 'showCodeDiff'],
  'run-detail': ['openLog', 'showCodeDiff', 'compareRuns'],
  compare: ['openRun', 'diffRuns', 'showCodeDiff'],
  'dataset-diff': [],
  'drift-report': [],
  'model-card': ['openRun'],
};

/** The id of the `<script type="application/json">` element carrying the PanelInit. */
export const INIT_ELEMENT_ID = 'cairn-init';

/** Key of the webview state entry holding the PanelInit, so VS Code can restore the panel after a reload. */
export const INIT_STATE_KEY = '__init';

/** One panel per subject: `runs:<ids>`, `run:<id>`, `compare:<ids>`. */
export function panelKey(init: PanelInit): string {
  switch (init.panel) {
    case 'runs-table':
      return `runs:${[...init.state.experimentIds].sort().join(',')}`;
    case 'run-detail':
      return `run:${init.state.runId}`;
    case 'compare':
      return `compare:${[...init.state.runIds].sort().join(',')}`;
    case 'dataset-diff':
      return `datadiff:${init.state.report.path}:${init.state.report.a}:${init.state.report.b}`;
    case 'drift-report':
      return `drift:${init.state.reportId}`;
    case 'model-card':
      return modelCardKey(init.state.name, init.state.version);
  }
}

/** `model:<name>/<version>`, the name URI-encoded (it may contain `/`). */
export const modelCardKey = (name: string, version: string): string => `model:${encodeURIComponent(name)}/${version}`;
