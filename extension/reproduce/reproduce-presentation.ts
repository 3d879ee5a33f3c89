/** The result of Reproduce Run as a Markdown document. Pure. */
import type { ReproduceReport } from '../../backend/api/reproduce';

const mark = (ok: boolean) => (ok ? '✅ identical' : '❌ different');
/** Markdown-inert text: values come from runs (param values, paths) and must not become markup. */
const code = (s: string | number | undefined) => (s === undefined ? '—' : `\`${String(s).replace(/`/g, "'").replace(/\n/g, ' ').replace(/\|/g, '\\|')}\``);

export function reproduceMarkdown(r: ReproduceReport): string {
  const lines: string[] = [];
  lines.push(`# ${r.reproduced ? 'Reproduced' : 'Not reproduced'}: run ${code(r.original_run_id)}`, '');
  lines.push(`New run ${code(r.new_run_id)} · exit code ${r.exit_code} · commit ${code(r.commit.slice(0, 12))}`, '');
  lines.push('| | result | detail |', '|---|---|---|');
  lines.push(`| code | ${mark(r.code.identical)} | ${code(r.code.detail)} |`);
  lines.push(`| data | ${mark(r.data.identical)} | ${r.data.datasets.length ? `${r.data.datasets.length} dataset(s)` : 'no tracked datasets recorded'} |`);
  lines.push(`| params | ${mark(r.params.identical)} | ${r.params.differences.length} difference(s) |`);
  const metricsLabel = r.metrics.within_tolerance ? (r.metrics.metrics.every((m) => m.status === 'equal') ? '✅ equal' : `✅ within ${r.metrics.tolerance}`) : '❌ different';
  lines.push(`| metrics | ${metricsLabel} | ${r.metrics.metrics.length} metric(s) |`, '');
  if (r.data.datasets.length) {
    lines.push('## Data', '', '| path | original | reproduced | |', '|---|---|---|---|');
    for (const d of r.data.datasets) lines.push(`| ${code(d.path)} | ${code(d.hash_original.slice(0, 12))} | ${code(d.hash_reproduced?.slice(0, 12))} | ${d.identical ? 'same' : 'DIFFERENT'}${d.note ? ` — ${code(d.note)}` : ''} |`);
    lines.push('');
  }
  if (r.params.differences.length) {
    lines.push('## Params that differ', '', '| param | original | reproduced |', '|---|---|---|');
    for (const p of r.params.differences) lines.push(`| ${code(p.key)} | ${code(p.original)} | ${code(p.reproduced)} |`);
    lines.push('');
  }
  if (r.metrics.metrics.length) {
    lines.push('## Metrics', '', '| metric | original | reproduced | status |', '|---|---|---|---|');
    for (const m of r.metrics.metrics) lines.push(`| ${code(m.key)} | ${code(m.original)} | ${code(m.reproduced)} | ${m.status} |`);
    lines.push('');
  }
  lines.push(`Worktree: ${code(r.worktree)} (remove with ${code(`git worktree remove --force ${r.worktree}`)})`, '');
  return lines.join('\n');
}
