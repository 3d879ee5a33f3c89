import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { nextCronTime, parseCron } from '../../../backend/pipelines/cron';
import { parsePipeline } from '../../../backend/pipelines/pipeline-spec';
import { MonitorScheduler } from '../../../backend/monitoring/monitor-scheduler';
import { AuditLog } from '../../../backend/monitoring/audit-log';
import type { RetrainRunner } from '../../../backend/monitoring/retrain-runner';
import type { DriftReportStore } from '../../../backend/drift/report-store';
import { EventBus } from '../../../backend/events/event-bus';
import { tmpDir } from '../../helpers/tmp';

const root = tmpDir();
const at = (iso: string) => Date.parse(iso);
const next = (expr: string, after: string) => new Date(nextCronTime(parseCron(expr), at(after))).toISOString();

test('cron: next firing time in UTC for fields, lists, ranges, steps, names and macros', () => {
  assert.equal(next('*/15 * * * *', '2026-11-27T08:07:30Z'), '2026-11-27T08:15:00.000Z');
  assert.equal(next('0 3 * * 1', '2026-11-27T08:00:00Z'), '2026-11-30T03:00:00.000Z'); // next Monday
  assert.equal(next('0 3 * * mon', '2026-11-30T03:00:00Z'), '2026-12-07T03:00:00.000Z'); // strictly after
  assert.equal(next('30 9-17/4 * * *', '2026-11-27T10:00:00Z'), '2026-11-27T13:30:00.000Z');
  assert.equal(next('0 0 29 feb *', '2026-03-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
  assert.equal(next('0 12 1,15 * *', '2026-11-02T00:00:00Z'), '2026-11-15T12:00:00.000Z');
  assert.equal(next('@daily', '2026-12-31T23:59:00Z'), '2027-01-01T00:00:00.000Z');
  assert.equal(next('0 0 * * 7', '2026-11-27T00:00:00Z'), '2026-11-29T00:00:00.000Z'); // 7 = Sunday
  // both day fields restricted: either matches (the 13th, or any Friday)
  assert.equal(next('0 0 13 * 5', '2026-11-27T01:00:00Z'), '2026-12-04T00:00:00.000Z');
  assert.equal(next('0 0 13 * 5', '2026-12-05T00:00:00Z'), '2026-12-11T00:00:00.000Z');
});

test('cron: bad expressions get errors that say what is wrong', () => {
  assert.throws(() => parseCron('* * * *'), /needs 5 fields .* got 4/);
  assert.throws(() => parseCron('60 * * * *'), /'60' is not a valid minute \(0–59\)/);
  assert.throws(() => parseCron('* * * foo *'), /'foo' is not a valid month/);
  assert.throws(() => parseCron('*/0 * * * *'), /bad step '0'/);
  assert.throws(() => parseCron('5-1 * * * *'), /runs backwards/);
  assert.throws(() => nextCronTime(parseCron('0 0 31 2 *'), Date.now()), /never matches/);
});

test('cairn.yaml retrain.cron is validated when the pipeline is read', () => {
  const spec = parsePipeline("stages:\n  a: {cmd: x}\nretrain:\n  cron: '0 3 * * 1'\n");
  assert.equal(spec.retrain?.cron, '0 3 * * 1');
  assert.throws(() => parsePipeline("stages:\n  a: {cmd: x}\nretrain:\n  cron: '0 25 * * *'\n"), /retrain.cron: '0 25 \* \* \*' is not a cron expression: '25' is not a valid hour/);
});

test('the monitor scheduler retrains when the cron expression fires, once per firing, and remembers across restarts', async () => {
  const ws = path.join(root, 'ws');
  const store = path.join(root, 'store');
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(path.join(ws, 'cairn.yaml'), "stages:\n  train: {cmd: 'node train.js'}\nretrain:\n  cron: '0 3 * * *'\n");
  const reasons: string[] = [];
  const scheduler = () =>
    new MonitorScheduler({
      storeDir: store,
      workspace: ws,
      reports: {} as DriftReportStore, // no monitors: never read
      events: new EventBus(),
      audit: new AuditLog(path.join(store, 'audit'), false),
      retrain: { trigger: async (reason: string) => void reasons.push(reason) } as unknown as RetrainRunner,
    });
  const s = scheduler();
  s.sync();
  await s.tick(at('2026-11-27T02:58:00Z')); // arms the schedule: next 03:00
  await s.tick(at('2026-11-27T02:59:59Z'));
  assert.deepEqual(reasons, []);
  await s.tick(at('2026-11-27T03:00:00Z'));
  await s.tick(at('2026-11-27T03:00:01Z'));
  assert.deepEqual(reasons, ['cron:0 3 * * *']);
  const restarted = scheduler(); // state is on disk: the next firing is tomorrow 03:00
  await restarted.tick(at('2026-11-27T12:00:00Z'));
  assert.equal(reasons.length, 1);
  await restarted.tick(at('2026-11-28T03:00:30Z'));
  assert.deepEqual(reasons, ['cron:0 3 * * *', 'cron:0 3 * * *']);
});
