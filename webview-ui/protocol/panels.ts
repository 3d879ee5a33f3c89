/**
 * Per-panel protocols: each panel's initial state (embedded in its HTML) and the host requests it
 * may make (the extension refuses the rest).
 */
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

export type PanelInit = { panel: 'runs-table'; state: RunsTableState } | { panel: 'run-detail'; state: RunDetailState } | { panel: 'compare'; state: CompareState };
export type PanelName = PanelInit['panel'];

export const PANEL_REQUESTS: Record<PanelName, readonly (keyof HostRequests)[]> = {
  'runs-table': ['experiments', 'searchRuns', 'getRun', 'setTag'],
  'run-detail': ['getRun', 'metricSeries', 'listArtifacts', 'readArtifact', 'setTag', 'experiments'],
  compare: ['getRun', 'metricSeries', 'experiments'],
};

export const PANEL_ACTIONS: Record<PanelName, readonly (keyof HostActions)[]> = {
  'runs-table': ['openRun', 'compareRuns', 'diffRuns', 'showCodeDiff'],
  'run-detail': ['openLog', 'showCodeDiff', 'compareRuns'],
  compare: ['openRun', 'diffRuns', 'showCodeDiff'],
};

/** The id of the `<script type="application/json">` element carrying the PanelInit. */
export const INIT_ELEMENT_ID = 'cairn-init';
