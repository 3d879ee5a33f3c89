import type { DatasetSummary, DatasetVersion, DatasetVersionInput } from '../api/data';
import type {
  DatasetInput,
  Experiment,
  FileInfo,
  KeyValue,
  Metric,
  ModelStage,
  ModelVersion,
  RegisteredModel,
  Run,
  RunInfo,
  RunStatus,
  ViewType,
} from '../api/mlflow';
import type { LoggedModel, LoggedModelStatus } from '../api/registry';
import type { DeploymentRecord } from '../api/serving';
import type { LoggedModelEntity } from '../search/logged-models';
import type { Clause, Order } from '../search/domain';
import type { ExperimentEntity } from '../search/experiments';
import type { ModelEntity } from '../search/models';
import type { RunClause, RunOrder } from '../search/runs';
import type { RunImportStore } from './run-import';

export interface Page<T> {
  items: T[];
  /** Offset of the next page, or undefined on the last page. */
  nextOffset?: number;
}

export interface PageRequest {
  maxResults: number;
  offset: number;
}

export interface ExperimentStore {
  createExperiment(req: { name: string; artifactLocation?: string; tags?: KeyValue[] }): Promise<string>;
  getExperiment(id: string): Promise<Experiment>;
  /** Prefers the active experiment of that name; undefined if none exists. */
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  searchExperiments(req: PageRequest & { viewType: ViewType; filter: Clause<ExperimentEntity>[]; orderBy: Order<ExperimentEntity>[] }): Promise<Page<Experiment>>;
  renameExperiment(id: string, newName: string): Promise<void>;
  deleteExperiment(id: string): Promise<void>;
  restoreExperiment(id: string): Promise<void>;
  setExperimentTag(id: string, key: string, value: string): Promise<void>;
  deleteExperimentTag(id: string, key: string): Promise<void>;
}

export interface CreateRunRequest {
  experimentId: string;
  userId: string;
  runName: string;
  startTime: number;
  tags: KeyValue[];
}

export interface RunStore {
  createRun(req: CreateRunRequest): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(runId: string, req: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  /**
   * Params (write-once), tags (overwrite) and, per key, the newest metric of a batch for the
   * latest-value summary (newer = higher step, then timestamp, then value). Fails with INVALID_STATE
   * on a deleted run. Metric histories are the MetricHistoryStore's.
   */
  logBatch(runId: string, batch: { params: KeyValue[]; tags: KeyValue[]; latest: Metric[] }): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  /** Records datasets a run used (MLflow's runs/log-inputs); the same (name, digest) is kept once. */
  logInputs(runId: string, inputs: DatasetInput[]): Promise<void>;
  /** Throws RESOURCE_DOES_NOT_EXIST / INVALID_STATE unless the run exists and is active. */
  assertRunActive(runId: string): Promise<RunInfo>;
  searchRuns(req: PageRequest & { experimentIds: string[]; viewType: ViewType; filter: RunClause[]; orderBy: RunOrder[] }): Promise<Page<Run>>;
}

export interface RegistryStore {
  createRegisteredModel(req: { name: string; description?: string; tags?: KeyValue[]; userId?: string }): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel>;
  deleteRegisteredModel(name: string): Promise<void>;
  searchRegisteredModels(req: PageRequest & { filter: Clause<ModelEntity>[]; orderBy: Order<ModelEntity>[] }): Promise<Page<RegisteredModel>>;
  getLatestVersions(name: string, stages: ModelStage[]): Promise<ModelVersion[]>;
  createModelVersion(req: { name: string; source: string; runId?: string; runLink?: string; description?: string; tags?: KeyValue[]; userId?: string; modelId?: string }): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  updateModelVersion(name: string, version: string, description: string): Promise<ModelVersion>;
  transitionStage(name: string, version: string, stage: ModelStage, archiveExisting: boolean): Promise<ModelVersion>;
  deleteModelVersion(name: string, version: string): Promise<void>;
  searchModelVersions(req: PageRequest & { filter: Clause<ModelEntity>[]; orderBy: Order<ModelEntity>[] }): Promise<Page<ModelVersion>>;
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;
  setAlias(name: string, alias: string, version: string): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
}

/** Maps artifact paths (`<exp>/<run>/artifacts/…`) to objects in the object store. */
export interface ArtifactIndex {
  putArtifact(path: string, hash: string, size: number): Promise<void>;
  getArtifact(path: string): Promise<{ hash: string; size: number } | undefined>;
  /** Immediate children of a directory (paths are basenames, as the mlflow-artifacts API lists). */
  listArtifacts(dir: string): Promise<FileInfo[]>;
  /** Deletes a file, or everything under a directory; returns how many files went. */
  deleteArtifacts(path: string): Promise<number>;
}

/** MLflow 3 logged models (the unit `log_model` creates) and the runs that output them. */
export interface LoggedModelStore {
  createLoggedModel(req: { experimentId: string; name: string; modelType?: string; sourceRunId?: string; params?: KeyValue[]; tags?: KeyValue[]; userId?: string }): Promise<LoggedModel>;
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel>;
  searchLoggedModels(req: PageRequest & { experimentIds: string[]; filter: Clause<LoggedModelEntity>[]; orderBy: Order<LoggedModelEntity>[] }): Promise<Page<LoggedModel>>;
  setLoggedModelTags(modelId: string, tags: KeyValue[]): Promise<void>;
  deleteLoggedModelTag(modelId: string, key: string): Promise<void>;
  logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void>;
  deleteLoggedModel(modelId: string): Promise<void>;
  /** MLflow's `runs/outputs`: the run produced these models (shown as `run.outputs.model_outputs`). */
  logOutputs(runId: string, outputs: { modelId: string; step: number }[]): Promise<void>;
}

/** Serving deployments as configured (their live state is the serving engine's). */
export interface DeploymentStore {
  /** Creates or replaces the record of `rec.name`. */
  putDeployment(rec: DeploymentRecord): Promise<void>;
  getDeployment(name: string): Promise<DeploymentRecord | undefined>;
  listDeployments(): Promise<DeploymentRecord[]>;
  /** Returns whether it existed. */
  deleteDeployment(name: string): Promise<boolean>;
}


/** Versioned datasets (`cairn data push`, `cairn run`), linked to runs through their MLflow inputs. */
export interface DatasetStore {
  /** Registers versions; the same (name, hash) is kept once, and a later registration may add its git commit. */
  putDatasetVersions(versions: DatasetVersionInput[]): Promise<void>;
  listDatasets(): Promise<DatasetSummary[]>;
  /** A dataset's versions, newest first, each with the runs that used it; RESOURCE_DOES_NOT_EXIST if unknown. */
  getDataset(name: string): Promise<DatasetVersion[]>;
  /** Of these object hashes, those an artifact, a dataset version or a run's input still references. */
  objectsInUse(hashes: string[]): Promise<string[]>;
}


export interface MetadataStore extends ExperimentStore, RunStore, RegistryStore, LoggedModelStore, DeploymentStore, ArtifactIndex, DatasetStore, RunImportStore {
  close(): Promise<void>;
}
