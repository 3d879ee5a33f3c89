/**
 * The registered models the Models view shows, and the versions of each model that was expanded,
 * kept current by `model.updated` events. Pure (no `vscode`): it tells the tree which nodes changed
 * so only those are refreshed.
 */
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { ModelVersion, RegisteredModel } from '../../backend/api/mlflow';
import { sortVersions } from './model-presentation';

/** What the model needs from the backend (the typed ServingClient provides it). */
export interface ModelsSource {
  searchRegisteredModels(): Promise<RegisteredModel[]>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  searchModelVersions(name: string): Promise<ModelVersion[]>;
}

/** The whole list (`root`), or one model node and its versions. */
export type ModelsChange = { kind: 'root' } | { kind: 'model'; name: string };

/** MLflow 3 logged-model ids (`m-<32 hex>`): their events are not registered models. */
const LOGGED_MODEL_ID = /^m-[0-9a-f]{32}$/;

export class ModelsModel {
  private models: RegisteredModel[] | undefined;
  private readonly versions = new Map<string, ModelVersion[]>();

  constructor(private readonly source: () => ModelsSource | undefined) {}

  reset(): void {
    this.models = undefined;
    this.versions.clear();
  }

  async listModels(): Promise<RegisteredModel[]> {
    const src = this.source();
    if (!src) return [];
    this.models ??= (await src.searchRegisteredModels()).sort((a, b) => a.name.localeCompare(b.name));
    return this.models;
  }

  model(name: string): RegisteredModel | undefined {
    return this.models?.find((m) => m.name === name);
  }

  async listVersions(name: string): Promise<ModelVersion[]> {
    const cached = this.versions.get(name);
    if (cached) return cached;
    const src = this.source();
    if (!src) return [];
    const list = sortVersions(await src.searchModelVersions(name));
    this.versions.set(name, list);
    return list;
  }

  /** Versions already loaded (undefined when the model was never expanded). */
  loadedVersions(name: string): ModelVersion[] | undefined {
    return this.versions.get(name);
  }

  /** Applies one change event; returns the nodes to refresh (none when nothing shown changed). */
  async apply(e: DeliveredEvent): Promise<ModelsChange[]> {
    if (e.type !== 'model.updated') return [];
    if (!this.models) return [{ kind: 'root' }];
    const idx = this.models.findIndex((m) => m.name === e.name);
    if (idx < 0 && LOGGED_MODEL_ID.test(e.name)) return [];
    const src = this.source();
    if (!src) return [];
    const fresh = await src.getRegisteredModel(e.name).catch((err: Error & { code?: string }) => {
      if (err.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw err;
    });
    this.versions.delete(e.name);
    if (!fresh) {
      if (idx < 0) return [];
      this.models.splice(idx, 1);
      return [{ kind: 'root' }];
    }
    if (idx < 0) {
      this.models.push(fresh);
      this.models.sort((a, b) => a.name.localeCompare(b.name));
      return [{ kind: 'root' }];
    }
    // Mutate in place: the tree keeps the same element object, so only this node re-renders.
    Object.assign(this.models[idx]!, fresh);
    return [{ kind: 'model', name: e.name }];
  }
}
