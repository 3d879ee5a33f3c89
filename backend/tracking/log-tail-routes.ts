import { LOG_TAIL_LIMITS, type LogTailResponse } from '../api/log-tail';
import { invalidParam } from '../core/errors';
import type { EventBus } from '../events/event-bus';
import type { Route } from '../server/router';
import type { TrackingService } from './tracking-service';
import { validateRunId } from './validate';

/** Runs whose tails are kept; the least recently written is forgotten first. */
const MAX_RUNS = 200;

/** The last lines of live runs' output, in memory (the full log is an artifact). */
class LogTails {
  private readonly tails = new Map<string, { experimentId: string; lines: string[] }>();

  get(runId: string) {
    return this.tails.get(runId);
  }

  append(runId: string, experimentId: string, lines: string[]): void {
    const tail = this.tails.get(runId) ?? { experimentId, lines: [] };
    this.tails.delete(runId);
    this.tails.set(runId, tail);
    tail.lines.push(...lines);
    if (tail.lines.length > LOG_TAIL_LIMITS.kept) tail.lines.splice(0, tail.lines.length - LOG_TAIL_LIMITS.kept);
    if (this.tails.size > MAX_RUNS) this.tails.delete(this.tails.keys().next().value!);
  }
}

/** `POST|GET /api/cairn/v1/runs/{run_id}/log-tail`: live output of a run, published as `log.tail` events. */
export function logTailRoutes(svc: TrackingService, events: EventBus): Route[] {
  const tails = new LogTails();
  // Tails are kept from the event stream, not the request: team replicas relay each other's
  // events, so every replica answers GET with the lines posted to any of them.
  events.subscribe((e) => {
    if (e.type === 'log.tail') tails.append(e.runId, e.experimentId, e.lines);
  });
  const path = '/api/cairn/v1/runs/:runId/log-tail';
  return [
    {
      method: 'POST',
      path,
      maxBody: 8 * 1024 * 1024,
      handler: async (ctx) => {
        const runId = validateRunId(ctx.params['runId']!);
        const msg = await ctx.message();
        const lines = msg.stringArray('lines');
        if (lines.length > LOG_TAIL_LIMITS.linesPerRequest) throw invalidParam(`'lines' may hold at most ${LOG_TAIL_LIMITS.linesPerRequest} lines, got ${lines.length}.`);
        const clipped = lines.map((l) => (l.length > LOG_TAIL_LIMITS.lineChars ? `${l.slice(0, LOG_TAIL_LIMITS.lineChars)}…` : l));
        const experimentId = tails.get(runId)?.experimentId ?? (await svc.meta.getRun(runId)).info.experiment_id;
        if (clipped.length > 0) events.publish({ type: 'log.tail', runId, experimentId, lines: clipped });
        return {};
      },
    },
    {
      method: 'GET',
      path,
      handler: async (ctx) => {
        const runId = validateRunId(ctx.params['runId']!);
        const tail = tails.get(runId);
        if (!tail) await svc.meta.getRun(runId);
        const body: LogTailResponse = { run_id: runId, lines: tail?.lines ?? [] };
        return body;
      },
    },
  ];
}
