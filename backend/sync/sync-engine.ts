import { datasetsKind } from './datasets-kind';
import { loggedModelsKind } from './logged-models-kind';
import { modelsKind } from './models-kind';
import { runsKind } from './runs-kind';
import type { SyncContext, SyncKind } from './sync-kind';
import type { SyncState } from './sync-state';

/**
 * The entity kinds `cairn sync` copies, in dependency order: runs (with their dataset inputs and
 * model outputs), the logged models they output, registered models (whose versions link to both),
 * and dataset versions with their bytes. Kinds for further entities join this list.
 */
export const SYNC_KINDS: SyncKind[] = [runsKind, loggedModelsKind, modelsKind, datasetsKind];

export interface SyncSummary {
  [kind: string]: { items: number; skipped: number; pushed: number; changes: number };
}

/**
 * Copies every kind's items from the source backend to the target. Items whose fingerprint the
 * state already recorded are skipped; each pushed item is recorded once it is complete, so an
 * interrupted sync resumes where it stopped, and pushes are idempotent, so a repeated one is harmless.
 */
export async function runSync(ctx: SyncContext, state: SyncState, kinds: SyncKind[] = SYNC_KINDS, full = false): Promise<SyncSummary> {
  const summary: SyncSummary = {};
  for (const kind of kinds) {
    const s = (summary[kind.name] = { items: 0, skipped: 0, pushed: 0, changes: 0 });
    for await (const item of kind.items(ctx)) {
      s.items++;
      if (!full && state.isDone(kind.name, item.id, item.fingerprint)) {
        s.skipped++;
        continue;
      }
      const changes = await kind.push(ctx, item.id);
      state.record(kind.name, item.id, item.fingerprint);
      s.pushed++;
      s.changes += changes;
      ctx.log(`${kind.name} ${item.id}: ${changes === 0 ? 'already up to date' : `${changes} change(s)`}`);
    }
  }
  return summary;
}
