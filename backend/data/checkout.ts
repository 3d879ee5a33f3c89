import * as fs from 'node:fs';
import * as path from 'node:path';
import { CairnError } from '../core/errors';
import { withDataLock } from './data-lock';
import { ensureIgnored } from './gitignore';
import { applyPlan, conflictError, planMaterialize, type MaterializeOptions, type MaterializePlan } from './materialize';
import { dataPathOf } from './pointer';
import { throttled, type ProgressFn } from './progress';
import { StatCache } from './stat-cache';
import { trackedVersions } from './versions';
import { absPath, relPath, type DataWorkspace } from './workspace';

export interface CheckoutOptions extends MaterializeOptions {
  /** Restore the versions named by the pointers at this git revision (and write those pointers). */
  rev?: string;
  cwd?: string;
  onProgress?: ProgressFn;
}

export interface CheckoutResult {
  path: string;
  /** Files written and deleted (0 and 0: the data was already exactly this version). */
  written: number;
  deleted: number;
  /** True when `--rev` changed the pointer file in the working tree. */
  pointerUpdated: boolean;
}

/**
 * `cairn data checkout [PATH…] [--rev REV]`: makes the data on disk exactly what the pointers name
 * (those in the working tree, or at a git revision). Every object is checked to be present and no
 * unsaved change to be at risk before the first file is touched.
 */
export async function checkoutData(ws: DataWorkspace, paths: string[] = [], opts: CheckoutOptions = {}): Promise<CheckoutResult[]> {
  const rels = paths.map((p) => relPath(ws, p, opts.cwd));
  return withDataLock(ws, 'checkout', async () => {
    const targets = await trackedVersions(ws, rels, opts.rev);
    const cache = StatCache.load(ws.stateDir);
    try {
      const plans: MaterializePlan[] = [];
      for (const t of targets) plans.push(await planMaterialize(ws, dataPathOf(t.pointer), absPath(ws, dataPathOf(t.pointer)), t.data, cache));
      const missing = plans.filter((p) => p.missingObjects.length > 0);
      if (missing.length) {
        const n = missing.reduce((a, p) => a + p.missingObjects.length, 0);
        throw new CairnError('RESOURCE_DOES_NOT_EXIST', `${n} object(s) needed for ${missing.map((p) => p.path).join(', ')} are not in the local store; fetch them with 'cairn data pull${rels.length ? ' ' + rels.join(' ') : ''}${opts.rev ? ` --rev ${opts.rev}` : ''}'.`);
      }
      const conflicts = plans.flatMap((p) => p.conflicts);
      if (conflicts.length && !opts.force) throw conflictError(conflicts);
      const total = plans.reduce((a, p) => a + p.writes.length, 0);
      const progress = throttled(opts.onProgress);
      let done = 0;
      let bytes = 0;
      const results: CheckoutResult[] = [];
      for (let i = 0; i < plans.length; i++) {
        const plan = plans[i]!;
        await applyPlan(ws, plan, cache, opts, (b) => {
          done++;
          bytes += b;
          progress({ phase: 'checkout', done, total, bytes });
        });
        const t = targets[i]!;
        let pointerUpdated = false;
        if (t.text) pointerUpdated = writeIfDifferent(absPath(ws, t.pointer), t.text);
        ensureIgnored(ws, plan.path);
        results.push({ path: plan.path, written: plan.writes.length, deleted: plan.deletes.length + (plan.replaceWhole ? 1 : 0), pointerUpdated });
      }
      return results;
    } finally {
      cache.save();
    }
  });
}

function writeIfDifferent(file: string, text: Buffer): boolean {
  try {
    if (fs.readFileSync(file).equals(text)) return false;
  } catch {
    // absent
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return true;
}
