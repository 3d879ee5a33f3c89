/**
 * The deployments the Deployments view shows, kept current by `deployment.updated` events and by
 * polled traffic figures. Pure (no `vscode`): it says which nodes changed, so a poll that moved no
 * shown figure refreshes nothing.
 */
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { DeploymentStatus, DeploymentTraffic } from '../../backend/api/serving';
import { deploymentDescription } from './deployment-presentation';

/** What the model needs from the backend (the typed ServingClient provides it). */
export interface DeploymentsSource {
  deployments(): Promise<DeploymentStatus[]>;
  deployment(name: string): Promise<DeploymentStatus>;
  servingStats(): Promise<DeploymentTraffic[]>;
}

/**
 * The whole list (`root`) or one deployment. `models` names the registered models whose versions
 * gained or lost this deployment (the Models view marks deployed versions).
 */
export type DeploymentsChange = { kind: 'root'; models: string[] } | { kind: 'deployment'; name: string; models: string[] };

export class DeploymentsModel {
  private deployments: DeploymentStatus[] | undefined;

  constructor(private readonly source: () => DeploymentsSource | undefined) {}

  reset(): void {
    this.deployments = undefined;
  }

  get loaded(): boolean {
    return this.deployments !== undefined;
  }

  async list(): Promise<DeploymentStatus[]> {
    const src = this.source();
    if (!src) return [];
    this.deployments ??= (await src.deployments()).sort((a, b) => a.name.localeCompare(b.name));
    return this.deployments;
  }

  get(name: string): DeploymentStatus | undefined {
    return this.deployments?.find((d) => d.name === name);
  }

  /** Names of the deployments serving `model`/`version` now (primary or canary). */
  deployedAs(model: string, version: string): string[] {
    return (this.deployments ?? []).filter((d) => d.model_name === model && (d.version === version || d.canary_version === version)).map((d) => d.name);
  }

  async apply(e: DeliveredEvent): Promise<DeploymentsChange[]> {
    if (e.type !== 'deployment.updated') return [];
    const src = this.source();
    if (!this.deployments || !src) return [{ kind: 'root', models: [] }];
    const idx = this.deployments.findIndex((d) => d.name === e.name);
    const before = idx >= 0 ? this.deployments[idx]!.model_name : undefined;
    const fresh = await src.deployment(e.name).catch((err: Error & { code?: string }) => {
      if (err.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw err;
    });
    const models = [...new Set([before, fresh?.model_name].filter((m): m is string => m !== undefined))];
    if (!fresh) {
      if (idx < 0) return [];
      this.deployments.splice(idx, 1);
      return [{ kind: 'root', models }];
    }
    if (idx < 0) {
      this.deployments.push(fresh);
      this.deployments.sort((a, b) => a.name.localeCompare(b.name));
      return [{ kind: 'root', models }];
    }
    // Mutate in place: the tree keeps the same element object, so only this node re-renders.
    replaceContents(this.deployments[idx]!, fresh);
    return [{ kind: 'deployment', name: e.name, models }];
  }

  /** Applies polled traffic figures; returns the deployments whose shown line changed. */
  applyTraffic(traffic: DeploymentTraffic[]): DeploymentsChange[] {
    if (!this.deployments) return [];
    const changes: DeploymentsChange[] = [];
    for (const t of traffic) {
      const d = this.get(t.name);
      if (!d) continue;
      const shown = deploymentDescription(d);
      const requests = d.stats.requests;
      d.stats = t.stats;
      d.state = t.state;
      if (deploymentDescription(d) !== shown || requests !== t.stats.requests) changes.push({ kind: 'deployment', name: d.name, models: [] });
    }
    return changes;
  }

  /** Whether a poll is worth it: something is deployed. */
  get hasDeployments(): boolean {
    return (this.deployments?.length ?? 0) > 0;
  }
}

function replaceContents<T extends object>(target: T, fresh: T): void {
  for (const k of Object.keys(target)) if (!(k in fresh)) delete (target as Record<string, unknown>)[k];
  Object.assign(target, fresh);
}
