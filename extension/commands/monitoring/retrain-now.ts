import type { CairnCommand } from '../command';
import { runPipelineOnBackend } from './run-pipeline';

/** Retrain Now: the retraining pipeline, recorded with a `retrain` trigger (from a monitor: `retrain:<monitor>`). */
export const retrainNow: CairnCommand = {
  id: 'cairn.monitors.retrainNow',
  run(s, ...args) {
    const monitor = (args[0] as { monitor?: { name?: string } } | undefined)?.monitor?.name;
    const valid = monitor && /^[\w.-]{1,80}$/.test(monitor) ? monitor : undefined;
    return runPipelineOnBackend(s, valid ? `retrain:${valid}` : 'retrain', 'Cairn: retraining…', valid);
  },
};
