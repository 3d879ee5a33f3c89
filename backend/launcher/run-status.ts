import type { RunStatus } from '../api/mlflow';
import type { ChildOutcome } from './child-process';

const STOP_SIGNALS = new Set<string>(['SIGINT', 'SIGTERM', 'SIGKILL', 'SIGHUP']);

/**
 * The final status of a tracked run: stopped by the user (a signal passed on by the launcher, or
 * the child killed by a stop signal) → KILLED; exit 0 → FINISHED; anything else (a crash, a
 * non-zero exit, SIGSEGV/SIGABRT, a command that could not start) → FAILED.
 */
export function runStatusOf(outcome: ChildOutcome): RunStatus {
  if (outcome.forwarded) return 'KILLED';
  if (outcome.spawnError) return 'FAILED';
  if (outcome.signal && STOP_SIGNALS.has(outcome.signal)) return 'KILLED';
  return outcome.exitCode === 0 ? 'FINISHED' : 'FAILED';
}
