/**
 * A model version's card as Markdown (opened read-only): summary, aliases, signature, metrics,
 * params, datasets, files and the lineage back to the run and its commit. Pure (no `vscode`).
 * Logged strings are escaped so that even a Markdown preview shows them as text, never as HTML.
 */
import type { ModelCard } from '../../backend/api/registry';

/** Backslash-escapes Markdown/HTML syntax and flattens newlines (table cells, headings). */
export const mdText = (s: string): string => s.replace(/[\\`*_<>[\]|#&]/g, '\\$&').replace(/\r?\n/g, ' ');

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function table(head: string[], rows: string[][]): string[] {
  if (!rows.length) return ['_none_'];
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function modelCardMarkdown(card: ModelCard): string {
  const v = card.version;
  const out: string[] = [`# ${mdText(card.name)} — version ${mdText(v.version)}`, ''];
  if (card.description) out.push(mdText(card.description), '');
  out.push(
    `- **Aliases:** ${card.aliases.length ? card.aliases.map((a) => `@${mdText(a)}`).join(', ') : '_none_'}`,
    `- **Status:** ${mdText(v.status)}${v.status_message ? ` (${mdText(v.status_message)})` : ''}`,
    `- **Registered:** ${iso(v.creation_timestamp)}${v.user_id ? ` by ${mdText(v.user_id)}` : ''}`,
    `- **Source:** \`${v.source.replace(/`/g, "'")}\``,
  );
  if (card.flavor) out.push(`- **Runtime:** ${mdText(card.flavor)}`);
  if (card.logged_model_id) out.push(`- **Logged model:** ${mdText(card.logged_model_id)}`);
  out.push('', '## Lineage', '');
  const r = card.run;
  if (r) {
    out.push(`- **Run:** ${mdText(r.run_name || r.run_id)} (\`${r.run_id}\`, experiment ${mdText(r.experiment_id)}, ${mdText(r.status)})`);
    out.push(`- **Started:** ${iso(r.start_time)}${r.end_time ? `, ended ${iso(r.end_time)}` : ''}${r.user_id ? ` by ${mdText(r.user_id)}` : ''}`);
    if (r.git_commit) out.push(`- **Code:** commit \`${r.git_commit.slice(0, 12)}\`${r.git_branch ? ` on ${mdText(r.git_branch)}` : ''}${r.git_dirty ? ' (uncommitted changes)' : ''}${r.git_repo ? ` in ${mdText(r.git_repo)}` : ''}`);
    if (r.command) out.push(`- **Command:** ${mdText(r.command)}`);
  } else out.push('_No source run recorded._');
  out.push('', '## Signature', '');
  const sig = card.signature;
  if (sig) {
    out.push(...table(['', 'name', 'type', 'shape'], [...sig.inputs.map((t) => ['input', mdText(t.name), t.datatype, `[${t.shape.join(', ')}]`]), ...sig.outputs.map((t) => ['output', mdText(t.name), t.datatype, `[${t.shape.join(', ')}]`])]));
    if (sig.columns?.length) out.push('', `Columns: ${sig.columns.map(mdText).join(', ')}`);
    if (sig.labels?.length) out.push('', `Labels: ${sig.labels.map(mdText).join(', ')}`);
    out.push('', `_(signature from ${sig.source})_`);
  } else out.push('_Unknown: the model files declare none._');
  out.push('', '## Metrics', '', ...table(['metric', 'value', 'step'], [...card.metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => [mdText(m.key), String(m.value), String(m.step)])));
  out.push('', '## Params', '', ...table(['param', 'value'], [...card.params].sort((a, b) => a.key.localeCompare(b.key)).map((p) => [mdText(p.key), mdText(p.value)])));
  if (card.datasets.length) {
    out.push('', '## Datasets', '', ...table(['name', 'digest', 'context'], card.datasets.map((d) => [mdText(d.dataset.name), mdText(d.dataset.digest), mdText(d.tags?.find((t) => t.key === 'mlflow.data.context')?.value ?? '')])));
  }
  out.push('', '## Files', '', ...table(['path', 'bytes'], card.files.map((f) => [mdText(f.path), String(f.size)])));
  return `${out.join('\n')}\n`;
}
