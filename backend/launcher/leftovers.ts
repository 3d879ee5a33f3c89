import type { CairnClient } from '../client/cairn-client';
import { replaySpool } from './delivery';
import { Spool } from './spool';

export interface LeftoverReport {
  spools: number;
  delivered: number;
  rejected: number;
  /** Spools still waiting (their backend did not answer, or they belong to another backend). */
  remaining: number;
}

/**
 * Delivers what earlier runs (or SDK processes) buffered while their backend was unreachable:
 * every spool whose writer has ended and that was meant for this backend (or, for a local
 * server's spool, for whichever local server now serves the workspace).
 */
export async function flushLeftovers(spoolRoot: string, client: CairnClient, target: { url: string; local: boolean }, log: (msg: string) => void = () => {}): Promise<LeftoverReport> {
  const report: LeftoverReport = { spools: 0, delivered: 0, rejected: 0, remaining: 0 };
  for (const dir of Spool.list(spoolRoot)) {
    const spool = Spool.claim(dir);
    if (!spool) continue;
    const { owner } = spool;
    if (!(owner.url.replace(/\/+$/, '') === target.url.replace(/\/+$/, '') || (owner.local && target.local))) {
      report.remaining++;
      spool.close();
      continue;
    }
    report.spools++;
    const r = await replaySpool(spool, client, log);
    report.delivered += r.delivered;
    report.rejected += r.rejected;
    if (r.complete) spool.remove();
    else {
      report.remaining++;
      spool.close();
      break;
    }
  }
  return report;
}
