import { LitElement, css, html, nothing } from 'lit';
import type { ColumnDriftResult, SideSummary, StoredDriftReport } from '../../backend/api/drift';
import type { Host } from '../protocol/host';
import { formatValue } from '../runs-table/columns';
import { baseStyles } from '../shared/theme';
import './dist-chart';
import { bannerOf, formatScore, histogramSeries, orderedColumns, sideSeries, typeLabel } from './drift-layout';

/**
 * A stored drift report in Evidently's layout: the dataset banner (share of drifted columns), then
 * one row per column with its test, score, threshold and both sides' distributions as sparklines;
 * a row expands to the overlaid histograms and both sides' summaries. Every string is text.
 */
export class DriftReportView extends LitElement {
  static override properties = {
    host: { attribute: false },
    reportId: { type: String },
    report: { state: true },
    error: { state: true },
    expanded: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        padding: 8px 0;
      }
      .banner {
        border: 1px solid var(--vscode-panel-border, #444);
        border-left: 4px solid var(--vscode-testing-iconPassed, #89d185);
        padding: 8px 12px;
        margin-bottom: 12px;
      }
      .banner.drifted {
        border-left-color: var(--vscode-testing-iconFailed, #f14c4c);
      }
      .banner .headline {
        font-size: 15px;
        font-weight: 600;
      }
      table.columns {
        border-collapse: collapse;
        width: 100%;
      }
      table.columns th,
      table.columns td {
        text-align: left;
        padding: 4px 8px;
        border-bottom: 1px solid var(--vscode-panel-border, #333);
        vertical-align: middle;
      }
      table.columns th {
        color: var(--vscode-descriptionForeground);
        font-weight: normal;
      }
      tr.row {
        cursor: pointer;
      }
      tr.row:hover {
        background: var(--vscode-list-hoverBackground);
      }
      .verdict.drift {
        color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground));
        font-weight: 600;
      }
      .verdict.ok {
        color: var(--vscode-testing-iconPassed, var(--vscode-charts-green));
      }
      td.num {
        font-variant-numeric: tabular-nums;
      }
      .detail-body {
        display: flex;
        gap: 16px;
        flex-wrap: wrap;
        padding: 6px 0 10px;
      }
      .detail-body table.kv {
        width: auto;
        min-width: 260px;
      }
    `,
  ];

  declare host: Host;
  declare reportId: string;
  private declare report: StoredDriftReport | undefined;
  private declare error: string;
  private declare expanded: Set<string>;

  constructor() {
    super();
    this.error = '';
    this.expanded = new Set();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.host.driftReport(this.reportId).then(
      (r) => (this.report = r),
      (err) => (this.error = (err as Error).message),
    );
  }

  private toggle(column: string): void {
    const next = new Set(this.expanded);
    if (!next.delete(column)) next.add(column);
    this.expanded = next;
  }

  override render() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    const r = this.report;
    if (!r) return html`<p class="muted">Loading drift report…</p>`;
    const banner = bannerOf(r);
    return html`
      <section class="banner ${banner.drifted ? 'drifted' : 'ok'}" role="status">
        <div class="headline">${banner.headline}</div>
        <div>${banner.detail}</div>
        <div class="muted sources">Reference: ${r.reference.source} (${r.reference.rows.toLocaleString()} rows) · Current: ${r.current.source} (${r.current.rows.toLocaleString()} rows)${r.monitor ? ` · monitor ${r.monitor}` : ''}</div>
      </section>
      <table class="columns">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th>Reference distribution</th>
            <th>Current distribution</th>
            <th>Data drift</th>
            <th>Stat test</th>
            <th>Drift score</th>
            <th>Threshold</th>
          </tr>
        </thead>
        <tbody>
          ${orderedColumns(r.columns).map((c) => this.row(c))}
        </tbody>
      </table>
      ${r.skipped_columns.length
        ? html`<p class="muted skipped">Not tested: ${r.skipped_columns.map((s) => `${s.column} (${s.reason})`).join('; ')}</p>`
        : nothing}
    `;
  }

  private row(c: ColumnDriftResult) {
    const open = this.expanded.has(c.column);
    const series = histogramSeries(c);
    return html`
      <tr class="row ${c.drift_detected ? 'drifted' : ''}" data-column=${c.column} @click=${() => this.toggle(c.column)}>
        <td><button class="link toggle" aria-expanded=${open ? 'true' : 'false'} @click=${(e: Event) => (e.stopPropagation(), this.toggle(c.column))}>${open ? '▾' : '▸'} ${c.column}</button></td>
        <td class="type">${typeLabel(c.column_type)}</td>
        <td><cairn-dist-chart compact class="spark reference" .series=${sideSeries(series, 'reference')} label=${`Reference distribution of ${c.column}`}></cairn-dist-chart></td>
        <td><cairn-dist-chart compact class="spark current" .series=${sideSeries(series, 'current')} label=${`Current distribution of ${c.column}`}></cairn-dist-chart></td>
        <td class="verdict ${c.drift_detected ? 'drift' : 'ok'}">${c.drift_detected ? 'Detected' : 'Not detected'}</td>
        <td class="stattest">${c.stattest_display_name}</td>
        <td class="num score">${formatScore(c.drift_score)}</td>
        <td class="num threshold">${formatScore(c.threshold)}</td>
      </tr>
      ${open
        ? html`<tr class="detail" data-column=${c.column}>
            <td colspan="8">
              <div class="detail-body">
                <cairn-dist-chart class="overlay" .series=${series} label=${`Reference and current distributions of ${c.column}`}></cairn-dist-chart>
                <div>
                  <p class="description">${c.description}</p>
                  ${c.approximation ? html`<p class="muted">Approximate: ${c.approximation}</p>` : nothing}
                  ${summaryTable(c.reference, c.current)}
                </div>
              </div>
            </td>
          </tr>`
        : nothing}
    `;
  }
}

const STATS: [string, (s: SideSummary) => string][] = [
  ['rows', (s) => s.count.toLocaleString()],
  ['missing', (s) => s.missing.toLocaleString()],
  ['unique', (s) => `${s.unique_at_least ? '≥ ' : ''}${s.unique.toLocaleString()}`],
  ['mean', (s) => formatValue(s.mean)],
  ['std', (s) => formatValue(s.std)],
  ['min', (s) => formatValue(s.min)],
  ['max', (s) => formatValue(s.max)],
];

function summaryTable(ref: SideSummary, cur: SideSummary) {
  const rows = STATS.filter(([k]) => !['mean', 'std', 'min', 'max'].includes(k) || ref.mean !== undefined);
  return html`<table class="kv summary">
    <tr><th></th><th>reference</th><th>current</th></tr>
    ${rows.map(([k, f]) => html`<tr><th>${k}</th><td>${f(ref)}</td><td>${f(cur)}</td></tr>`)}
  </table>`;
}

customElements.define('cairn-drift-report', DriftReportView);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-drift-report': DriftReportView;
  }
}
