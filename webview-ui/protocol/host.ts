/**
 * The one typed contract between the panels and whatever hosts them: VS Code (postMessage, see
 * `messages.ts`) or a browser (HTTP, the standalone dashboard). No `vscode` imports here.
 */
import type { DeliveredEvent, MetricSeriesResponse } from '../../backend/api/cairn';
import type { Experiment, FileInfo, Run, ViewType } from '../../backend/api/mlflow';
import type { StoredDriftReport } from '../../backend/api/drift';
import type { ModelCard } from '../../backend/api/registry';

export interface RunsQuery {
  experimentIds: string[];
  /** MLflow filter syntax. */
  filter?: string;
  viewType?: ViewType;
}

export interface StepRange {
  startStep: number;
  endStep: number;
}

export interface ArtifactContent {
  path: string;
  /** Bytes returned (at most the requested maximum). */
  size: number;
  truncated: boolean;
  base64: string;
}

/** Reads: answered from the backend by both hosts. */
export interface HostRequests {
  experiments(): Promise<Experiment[]>;
  searchRuns(q: RunsQuery): Promise<Run[]>;
  getRun(runId: string): Promise<Run>;
  /** `range`: only the steps in [startStep, endStep] (a zoomed chart asks for finer points). */
  metricSeries(runId: string, key: string, maxPoints: number, range?: StepRange): Promise<MetricSeriesResponse>;
  listArtifacts(runId: string, path: string): Promise<FileInfo[]>;
  readArtifact(runId: string, path: string, maxBytes: number): Promise<ArtifactContent | null>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  driftReport(reportId: string): Promise<StoredDriftReport>;
  /** A registered version's card: lineage, signature, metrics, params, files. */
  modelCard(name: string, version: string): Promise<ModelCard>;
}

/** Hand-overs to the host's own UI (VS Code: commands and editors; browser: dashboard routes). */
export interface HostActions {
  openRun(runId: string): void;
  compareRuns(runIds: string[]): void;
  diffRuns(runIds: string[]): void;
  showCodeDiff(runIds: string[]): void;
  openLog(runId: string): void;
}

export type Unsubscribe = () => void;

export interface Host extends HostRequests, HostActions {
  readonly kind: 'vscode' | 'browser';
  /** Live change events (the host's single SSE subscription). */
  onEvent(listener: (e: DeliveredEvent) => void): Unsubscribe;
  /** Events were missed: reload. */
  onResync(listener: () => void): Unsubscribe;
  /** Persisted UI state (filters, sort, columns) — never run data. */
  getState<T>(key: string): T | undefined;
  setState<T>(key: string, value: T): void;
}

export const HOST_REQUEST_NAMES = ['experiments', 'searchRuns', 'getRun', 'metricSeries', 'listArtifacts', 'readArtifact', 'setTag', 'driftReport', 'modelCard'] as const satisfies readonly (keyof HostRequests)[];
export const HOST_ACTION_NAMES = ['openRun', 'compareRuns', 'diffRuns', 'showCodeDiff', 'openLog'] as const satisfies readonly (keyof HostActions)[];
