import * as fs from 'node:fs';
import * as path from 'node:path';
import type { QualityReport, QualityRequest } from '../api/drift';
import { CairnError, invalidParam } from '../core/errors';
import type { Route } from '../server/router';
import { PredictionLogDir } from './prediction-log';
import { qualityReport } from './quality-report';

/** `<store>/predictions/<deployment>`: where the serving engine logs a deployment's traffic. */
export function predictionLogDir(storeDir: string, deployment: string): PredictionLogDir {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(deployment)) throw invalidParam(`Invalid deployment name '${deployment}'.`);
  const dir = path.join(storeDir, 'predictions', deployment);
  if (!fs.existsSync(dir)) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `No prediction log for deployment '${deployment}'.`);
  return new PredictionLogDir(dir);
}

export function qualityRoutes(deps: { storeDir: string }): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/cairn/v1/quality/reports',
      handler: async (ctx): Promise<QualityReport> => {
        const m = await ctx.message();
        const task = m.optString('task');
        if (task !== undefined && task !== 'classification' && task !== 'regression') throw invalidParam(`'task' must be classification or regression.`);
        const ref = m.object('reference');
        const req: QualityRequest = {
          deployment: m.nonEmpty('deployment'),
          task: task as QualityRequest['task'],
          window_ms: m.optInt('window_ms', { min: 1 }),
          start: m.optInt('start'),
          end: m.optInt('end'),
          reference: ref ? { start: ref.int('start'), end: ref.int('end') } : undefined,
          tolerance: m.has('tolerance') ? m.double('tolerance') : undefined,
          prediction_field: m.optString('prediction_field'),
          probability_field: m.optString('probability_field'),
        };
        return qualityReport(predictionLogDir(deps.storeDir, req.deployment), req);
      },
    },
  ];
}
