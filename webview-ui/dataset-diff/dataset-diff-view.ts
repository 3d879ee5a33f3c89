import { LitElement, css, html, nothing } from 'lit';
import type { DataDiffReport } from '../../backend/api/data';
import { baseStyles } from '../shared/theme';
import { signed, summarizeDiff } from './diff-summary';

/**
 * Two versions of a tracked dataset side by side: sizes, changed files (folders), and for tables
 * the row count delta, schema changes and every column statistic that changed. The report comes
 * with the panel's initial state; everything is rendered as text (Lit bindings, no HTML strings).
 */
export class DatasetDiffView extends LitElement {
  static override properties = { report: { attribute: false } };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        padding: 0 12px 24px;
      }
      h2 {
        font-size: 14px;
        margin: 12px 0 6px;
        overflow-wrap: anywhere;
      }
      h3 {
        font-size: 13px;
        margin: 14px 0 6px;
      }
      .added {
        color: var(--vscode-gitDecoration-addedResourceForeground, var(--vscode-charts-green));
      }
      .removed {
        color: var(--vscode-gitDecoration-deletedResourceForeground, var(--vscode-errorForeground));
      }
      table.kv th {
        width: auto;
      }
    `,
  ];

  declare report: DataDiffReport | undefined;

  override render() {
    if (!this.report) return html`<p class="muted">No diff.</p>`;
    const s = summarizeDiff(this.report);
    return html`
      <h2 class="title">${s.title}</h2>
      ${s.identical ? html`<p class="identical">The two versions are identical.</p>` : nothing}
      ${s.size ? html`<p class="size muted">Size: ${s.size}</p>` : nothing}
      ${s.files.length
        ? html`<h3>Files</h3>
            <table class="kv files">
              ${s.files.map((f) => html`<tr><td>${f.mark}</td><td>${f.path}</td><td class="muted">${f.detail}</td></tr>`)}
            </table>`
        : nothing}
      ${s.tables.map(
        (t) => html`
          <section class="table" data-path=${t.path}>
            ${s.tables.length > 1 || t.path !== this.report!.path ? html`<h3>${t.path}</h3>` : nothing}
            ${t.rows
              ? html`<p class="rows">
                  Rows: ${t.rows.a ?? '?'} → ${t.rows.b ?? '?'}${t.rows.delta !== undefined ? html` (<b>${signed(t.rows.delta)}</b>)` : nothing}
                  ${t.rows.added !== undefined ? html` · <span class="added">${t.rows.added} added</span>, <span class="removed">${t.rows.removed} removed</span>` : nothing}
                </p>`
              : nothing}
            <h3>Schema</h3>
            ${t.schema.length ? html`<ul class="schema">${t.schema.map((line) => html`<li>${line}</li>`)}</ul>` : html`<p class="muted schema-same">No schema change.</p>`}
            <h3>Column statistics</h3>
            ${t.stats.length
              ? html`<table class="kv stats">
                  <tr><th>column</th><th>statistic</th><th>${this.report!.a}</th><th>${this.report!.b}</th></tr>
                  ${t.stats.map((r) => html`<tr data-column=${r.column}><td>${r.column}</td><td>${r.stat}</td><td>${r.a}</td><td>${r.b}</td></tr>`)}
                </table>`
              : html`<p class="muted">No column statistic changed.</p>`}
          </section>
        `,
      )}
    `;
  }
}

customElements.define('cairn-dataset-diff', DatasetDiffView);
