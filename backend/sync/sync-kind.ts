import type { CairnClient } from '../client/cairn-client';

/** Everything a sync kind needs: both backends, and what earlier kinds learned (id mappings). */
export interface SyncContext {
  source: CairnClient;
  target: CairnClient;
  /** Identifies the local store on the target (model-version origins). */
  sourceId: string;
  /** Local experiment id → target experiment id (experiments are matched by name). */
  experiments: Map<string, string>;
  log(msg: string): void;
}

export interface SyncItem {
  id: string;
  /** Changes whenever the item's local content changes; equal fingerprints are not sent again. */
  fingerprint: string;
}

/**
 * One kind of entity `cairn sync` copies (runs, models, …). Kinds run in order, so later ones may
 * rely on earlier ones (model versions link to runs). A new entity kind (datasets, deployments …)
 * plugs in by implementing this and joining SYNC_KINDS; `push` must be idempotent — it may be
 * repeated after an interruption — and returns how many changes it made on the target.
 */
export interface SyncKind {
  name: string;
  items(ctx: SyncContext): AsyncIterable<SyncItem>;
  push(ctx: SyncContext, id: string): Promise<number>;
}
