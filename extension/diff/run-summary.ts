/**
 * A run's summary as YAML — what `Cairn: Diff Runs` compares: params, metrics, tags, environment
 * and data versions. Keys are sorted so two runs line up in the diff editor. Pure.
 */
import type { Run } from '../../backend/api/mlflow';
import { RUN_TAGS, type EnvironmentFingerprint } from '../../backend/api/run-record';
import { formatDuration, runName } from '../runs/run-presentation';
import { toYaml } from './yaml-emit';

const TAGS_SHOWN_ELSEWHERE = new Set<string>([RUN_TAGS.runName, RUN_TAGS.note, RUN_TAGS.gitCommit, RUN_TAGS.gitBranch, RUN_TAGS.gitRepoUrl, RUN_TAGS.gitDirty, RUN_TAGS.command]);

const sortedObject = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));

export function runSummary(run: Run, opts: { experimentName?: string; environment?: EnvironmentFingerprint } = {}): Record<string, unknown> {
  const tag = (k: string) => run.data.tags.find((t) => t.key === k)?.value;
  let command: unknown = tag(RUN_TAGS.command);
  try {
    if (typeof command === 'string') command = JSON.parse(command);
  } catch {
    // keep the raw text
  }
  return {
    run: {
      name: runName(run),
      id: run.info.run_id,
      experiment: opts.experimentName ?? run.info.experiment_id,
      status: run.info.status,
      started: new Date(run.info.start_time).toISOString(),
      duration: run.info.end_time ? formatDuration(run.info.end_time - run.info.start_time) : null,
      command: command ?? null,
      note: tag(RUN_TAGS.note) ?? null,
    },
    code: {
      commit: tag(RUN_TAGS.gitCommit) ?? null,
      branch: tag(RUN_TAGS.gitBranch) ?? null,
      uncommitted_changes: tag(RUN_TAGS.gitDirty) === 'true',
    },
    params: sortedObject(run.data.params.map((p) => [p.key, p.value])),
    metrics: sortedObject(run.data.metrics.map((m) => [m.key, m.value])),
    data: (run.inputs?.dataset_inputs ?? [])
      .map((d) => ({ name: d.dataset.name, digest: d.dataset.digest, source: d.dataset.source, context: d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    environment: opts.environment ? { ...opts.environment, lockFiles: sortedObject(Object.entries(opts.environment.lockFiles ?? {})), env: sortedObject(Object.entries(opts.environment.env ?? {})) } : null,
    tags: sortedObject(run.data.tags.filter((t) => !TAGS_SHOWN_ELSEWHERE.has(t.key)).map((t) => [t.key, t.value])),
  };
}

export function runSummaryYaml(run: Run, opts: { experimentName?: string; environment?: EnvironmentFingerprint } = {}): string {
  return `# Cairn run summary (read-only)\n${toYaml(runSummary(run, opts) as Parameters<typeof toYaml>[0])}`;
}
