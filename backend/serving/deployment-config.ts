import type { BatchingConfig, CreateDeploymentRequest, DeploymentConfig } from '../api/serving';
import { invalidParam } from '../core/errors';

/**
 * Defaults measured with `npm run bench:serving` on 2 CPU cores (README, Serving): no added wait
 * (requests batch up while the model is busy, so a lone request is never delayed) and at most 64
 * rows per batch.
 */
export const DEFAULT_BATCHING: BatchingConfig = { enabled: true, max_batch_size: 64, max_delay_ms: 0, max_queue: 4096 };

export const DEFAULT_CONFIG: DeploymentConfig = { batching: DEFAULT_BATCHING, log_sample_rate: 1, canary_percent: 0 };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function validateDeploymentName(name: string): string {
  if (!NAME.test(name)) throw invalidParam(`Invalid deployment name '${name}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
  return name;
}

/** A deployment name derived from a model name (`Weather Model` → `weather-model`). */
export function deploymentNameFor(modelName: string): string {
  const n = modelName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 64);
  return n || 'model';
}

/** Applies a partial config over a base, checking every value. */
export function mergeConfig(base: DeploymentConfig, patch: CreateDeploymentRequest['config'] | undefined): DeploymentConfig {
  const b = { ...base.batching, ...(patch?.batching ?? {}) };
  const cfg: DeploymentConfig = {
    batching: b,
    log_sample_rate: patch?.log_sample_rate ?? base.log_sample_rate,
    canary_percent: patch?.canary_percent ?? base.canary_percent,
  };
  const int = (v: unknown, field: string, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidParam(`'${field}' must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}.`);
  };
  if (typeof b.enabled !== 'boolean') throw invalidParam(`'batching.enabled' must be true or false, got ${JSON.stringify(b.enabled)}.`);
  int(b.max_batch_size, 'batching.max_batch_size', 1, 100_000);
  int(b.max_delay_ms, 'batching.max_delay_ms', 0, 10_000);
  int(b.max_queue, 'batching.max_queue', 1, 1_000_000);
  if (typeof cfg.log_sample_rate !== 'number' || !(cfg.log_sample_rate >= 0 && cfg.log_sample_rate <= 1)) throw invalidParam(`'log_sample_rate' must be a number from 0 to 1, got ${JSON.stringify(cfg.log_sample_rate)}.`);
  if (typeof cfg.canary_percent !== 'number' || !(cfg.canary_percent >= 0 && cfg.canary_percent <= 100)) throw invalidParam(`'canary_percent' must be a number from 0 to 100, got ${JSON.stringify(cfg.canary_percent)}.`);
  return cfg;
}
