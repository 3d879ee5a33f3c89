import type { DeploymentRecord, DeploymentState, DeploymentStatus } from '../api/serving';
import { CairnError, notFound } from '../core/errors';
import { LatencyStats } from './latency-stats';
import { PredictionLog } from './prediction-log';
import type { Variant } from './variant';

/** A deployment as it runs: its record, the primary (and canary) variant, the ones draining. */
export class LiveDeployment {
  primary: Variant | undefined;
  canary: Variant | undefined;
  readonly draining = new Set<Variant>();
  readonly stats = new LatencyStats();
  failure: string | undefined;

  constructor(
    public record: DeploymentRecord,
    readonly log: PredictionLog,
  ) {}

  get name(): string {
    return this.record.name;
  }

  get state(): DeploymentState {
    if (this.primary) return this.primary.state;
    return this.failure ? 'failed' : 'loading';
  }

  /** The variant for a request: a named version (if it is being served), else canary or primary. */
  route(version?: string): { variant: Variant; role: 'primary' | 'canary' } {
    if (version !== undefined) {
      if (this.primary?.version === version) return { variant: this.primary, role: 'primary' };
      if (this.canary?.version === version) return { variant: this.canary, role: 'canary' };
      throw notFound(`Deployment '${this.name}' does not serve version ${version} (it serves ${this.servedVersions().join(', ') || 'nothing yet'}).`);
    }
    if (this.canary && this.canary.state === 'ready' && Math.random() * 100 < this.record.config.canary_percent) return { variant: this.canary, role: 'canary' };
    if (!this.primary) {
      throw new CairnError('TEMPORARILY_UNAVAILABLE', `Deployment '${this.name}' is ${this.state}${this.failure ? `: ${this.failure}` : ''}; retry shortly.`);
    }
    return { variant: this.primary, role: 'primary' };
  }

  servedVersions(): string[] {
    return [this.primary?.version, this.canary?.version].filter((v): v is string => v !== undefined);
  }

  status(): DeploymentStatus {
    const variants = [this.primary, this.canary, ...this.draining].filter((v): v is Variant => v !== undefined);
    const batches = variants.reduce((a, v) => ({ b: a.b + v.batchStats.batches, r: a.r + v.batchStats.rows }), { b: 0, r: 0 });
    const enc = encodeURIComponent(this.name);
    return {
      ...this.record,
      state: this.state,
      variants: variants.map((v) => v.status()),
      stats: {
        requests: this.stats.requests,
        errors: this.stats.errors,
        ...this.stats.snapshot(),
        mean_batch_size: batches.b ? Math.round((batches.r / batches.b) * 100) / 100 : 0,
        log_dropped: this.log.dropped,
      },
      signature: this.primary?.state === 'ready' ? this.primary.signature : undefined,
      endpoints: { oip: `/v2/models/${enc}`, invocations: `/deployments/${enc}/invocations` },
      ...(this.failure && !this.primary ? { variants: [] } : {}),
    };
  }
}
