/**
 * The live output of a tracked run (`/api/cairn/v1/runs/{run_id}/log-tail`): `cairn run` posts
 * new lines about once a second; the server publishes them as `log.tail` events and keeps the
 * last lines in memory for clients that open the run later. The full log is the run's
 * `cairn/output.log` artifact.
 */

/** `POST /api/cairn/v1/runs/{run_id}/log-tail` */
export interface LogTailRequest {
  /** At most LOG_TAIL_LIMITS.linesPerRequest lines, each at most LOG_TAIL_LIMITS.lineChars characters. */
  lines: string[];
}

/** `GET /api/cairn/v1/runs/{run_id}/log-tail` */
export interface LogTailResponse {
  run_id: string;
  /** The last lines received, oldest first (at most LOG_TAIL_LIMITS.kept). */
  lines: string[];
}

export const LOG_TAIL_LIMITS = { linesPerRequest: 1000, lineChars: 4000, kept: 500 } as const;
