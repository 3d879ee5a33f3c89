import type { DeliveredEvent } from '../api/cairn';
import { securityHeaders } from '../server/respond';
import { HANDLED, type Route } from '../server/router';
import type { EventBus } from './event-bus';

const HEARTBEAT_MS = 15_000;
const MAX_BUFFERED = 8 * 1024 * 1024;

/**
 * `GET /api/cairn/v1/events[?types=a,b][&run_id=…][&experiment_id=…]`: one Server-Sent-Events
 * stream of change events. Resumes after `Last-Event-ID`; a client too slow to keep up is
 * disconnected (it reconnects and resumes) rather than buffering without bound.
 */
export function eventRoutes(bus: EventBus): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/cairn/v1/events',
      handler: (ctx) => {
        const types = ctx.query.get('types')?.split(',').filter(Boolean);
        const runId = ctx.query.get('run_id');
        const experimentId = ctx.query.get('experiment_id');
        const wanted = (e: DeliveredEvent) =>
          (!types || types.includes(e.type)) &&
          (!runId || ('runId' in e && e.runId === runId)) &&
          (!experimentId || ('experimentId' in e && e.experimentId === experimentId));
        const res = ctx.res;
        res.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/event-stream', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
        res.write('retry: 2000\n\n');
        const send = (e: DeliveredEvent) => {
          if (!wanted(e)) return;
          res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
          if (res.writableLength > MAX_BUFFERED) res.destroy();
        };
        const lastId = Number(ctx.req.headers['last-event-id'] ?? ctx.query.get('last_event_id') ?? NaN);
        if (Number.isFinite(lastId)) {
          const { events, gap } = bus.since(lastId);
          if (gap) res.write(`event: resync\ndata: {"reason":"events were missed; reload"}\n\n`);
          events.forEach(send);
        }
        const unsubscribe = bus.subscribe(send);
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        const stop = () => {
          clearInterval(heartbeat);
          unsubscribe();
        };
        ctx.req.on('close', stop);
        res.on('close', stop);
        return HANDLED;
      },
    },
  ];
}
