import { LitElement, css, html, nothing } from 'lit';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { Run } from '../../backend/api/mlflow';
import '../charts/metric-chart';
import { decodeSeries, isSystemMetric, type Series } from '../charts/series';
import type { Host } from '../protocol/host';
import { formatValue } from '../runs-table/columns';
import { markDataArrived, markPaintedWhen } from '../shared/marks';
import { baseStyles, chartColor } from '../shared/theme';
import './parallel-coords';
import { paramsDiff } from './params-diff';

const MAX_POINTS = 1000;

/**
 * Compare any number of runs: every metric with all runs overlaid, a params table that highlights
 * differences, and parallel coordinates of params against a chosen metric.
 */
export class CompareView extends LitElement {
  static override properties = {
    host: { attribute: false },
    runIds: { attribute: false },
    runs: { state: true },
    series: { state: true },
    onlyDiffering: { state: true },
    pcMetric: { state: true },
    smoothing: { state: true },
    error: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        padding: 0 12px 24px;
      }
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(380px, 1fr));
        gap: 10px;
      }
      .swatch {
        display: inline-block;
        width: 10px;
        height: 10px;
        border-radius: 2px;
        margin-right: 4px;
      }
      table.params th {
        width: auto;
        white-space: nowrap;
      }
      table.params td.differs {
        background: var(--vscode-diffEditor-insertedTextBackground, rgba(155, 185, 85, 0.2));
      }
      .params-wrap {
        overflow: auto;
      }
      h3 {
        font-size: 13px;
        margin: 14px 0 6px;
      }
    `,
  ];

  declare host: Host;
  declare runIds: string[];
  private declare runs: Run[];
  private declare series: Map<string, Map<string, Series>>;
  private declare onlyDiffering: boolean;
  private declare pcMetric: string;
  private declare smoothing: number;
  private declare error: string;
  private unsubscribe: (() => void)[] = [];
  private refetch = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.runIds = [];
    this.runs = [];
    this.series = new Map();
    this.onlyDiffering = true;
    this.pcMetric = '';
    this.smoothing = 0;
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.smoothing = this.host.getState<number>('smoothing') ?? 0;
    this.unsubscribe.push(this.host.onEvent((e) => this.onEvent(e)));
    this.unsubscribe.push(this.host.onResync(() => void this.load()));
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe.forEach((u) => u());
    clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    try {
      this.runs = await Promise.all(this.runIds.map((id) => this.host.getRun(id)));
      const keys = [...new Set(this.runs.flatMap((r) => r.data.metrics.map((m) => m.key)))];
      if (!this.pcMetric) this.pcMetric = keys.filter((k) => !isSystemMetric(k)).sort()[0] ?? '';
      await this.loadSeries(this.runIds, keys);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async loadSeries(runIds: string[], keys: string[]): Promise<void> {
    const jobs = runIds.flatMap((id) => keys.map((k) => this.host.metricSeries(id, k, MAX_POINTS).then(decodeSeries, () => undefined)));
    const results = await Promise.all(jobs);
    markDataArrived('compare');
    const next = new Map(this.series);
    for (const s of results) {
      if (!s || s.steps.length === 0) continue;
      const byRun = new Map(next.get(s.key) ?? []);
      byRun.set(s.runId, s);
      next.set(s.key, byRun);
    }
    this.series = next;
    markPaintedWhen('compare', () => {
      const charts = [...this.renderRoot.querySelectorAll('cairn-metric-chart')];
      return charts.length >= next.size && charts.every((c) => c.shadowRoot?.querySelector('canvas'));
    });
  }

  private onEvent(e: DeliveredEvent): void {
    if (!('runId' in e) || !e.runId || !this.runIds.includes(e.runId)) return;
    if (e.type === 'metrics.appended' || e.type === 'run.updated' || e.type === 'run.data') {
      this.refetch.add(e.runId);
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        const ids = [...this.refetch];
        this.refetch.clear();
        void Promise.all(ids.map((id) => this.host.getRun(id))).then((fresh) => {
          this.runs = this.runs.map((r) => fresh.find((f) => f.info.run_id === r.info.run_id) ?? r);
          const keys = [...new Set(fresh.flatMap((r) => r.data.metrics.map((m) => m.key)))];
          return this.loadSeries(ids, keys);
        });
      }, 700);
    }
  }

  override render() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (this.runs.length === 0) return html`<p class="muted">Loading ${this.runIds.length} runs…</p>`;
    const colors = this.runs.map((_r, i) => chartColor(i, this));
    const keys = [...this.series.keys()].sort((a, b) => Number(isSystemMetric(a)) - Number(isSystemMetric(b)) || a.localeCompare(b));
    const params = paramsDiff(this.runs);
    const shownParams = this.onlyDiffering ? params.filter((p) => p.differs) : params;
    const metricKeys = [...new Set(this.runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].filter((k) => !isSystemMetric(k)).sort();
    return html`
      <h2>Compare ${this.runs.length} runs</h2>
      <div class="toolbar legend">
        ${this.runs.map(
          (r, i) => html`<span><svg class="swatch" width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill=${colors[i]!}></rect></svg><button class="link" @click=${() => this.host.openRun(r.info.run_id)}>${r.info.run_name}</button></span>`,
        )}
      </div>
      <div class="toolbar">
        ${this.runs.length === 2 ? html`<vscode-button secondary @click=${() => this.host.diffRuns(this.runIds)}>Diff these two runs</vscode-button>` : nothing}
        ${this.runs.length === 2 ? html`<vscode-button secondary @click=${() => this.host.showCodeDiff(this.runIds)}>Diff their code</vscode-button>` : nothing}
        <label
          >Smoothing
          <input
            type="range"
            class="smoothing"
            min="0"
            max="0.99"
            step="0.01"
            .value=${String(this.smoothing)}
            @input=${(e: Event) => {
              this.smoothing = Number((e.target as HTMLInputElement).value);
              this.host.setState('smoothing', this.smoothing);
            }}
        /></label>
      </div>
      <h3>Metrics</h3>
      <div class="charts">
        ${keys.map((k) => {
          const byRun = this.series.get(k)!;
          const lines = this.runs.flatMap((r, i) => {
            const s = byRun.get(r.info.run_id);
            return s ? [{ label: r.info.run_name, color: colors[i]!, series: s }] : [];
          });
          return html`<cairn-metric-chart data-metric=${k} .title=${k} .smoothing=${this.smoothing} .lines=${lines}></cairn-metric-chart>`;
        })}
      </div>
      <h3>Params</h3>
      <vscode-checkbox .checked=${this.onlyDiffering} @change=${(e: Event) => (this.onlyDiffering = (e.target as HTMLInputElement).checked)}>Only params that differ</vscode-checkbox>
      <div class="params-wrap">
        <table class="kv params">
          <tr>
            <th>param</th>
            ${this.runs.map((r) => html`<th>${r.info.run_name}</th>`)}
          </tr>
          ${shownParams.map((p) => html`<tr data-param=${p.key}><th>${p.key}</th>${p.values.map((v) => html`<td class=${p.differs ? 'differs' : ''}>${v ?? '—'}</td>`)}</tr>`)}
          ${metricKeys.map(
            (k) => html`<tr data-metric-row=${k}>
              <th>${k} (latest)</th>
              ${this.runs.map((r) => html`<td>${formatValue(r.data.metrics.find((m) => m.key === k)?.value)}</td>`)}
            </tr>`,
          )}
        </table>
        ${shownParams.length === 0 ? html`<p class="muted">${params.length ? 'All params are equal.' : 'No params were logged.'}</p>` : nothing}
      </div>
      <h3>Parallel coordinates</h3>
      <div class="toolbar">
        <label
          >Colour by metric
          <select class="pc-metric" @change=${(e: Event) => (this.pcMetric = (e.target as HTMLSelectElement).value)}>
            ${metricKeys.map((k) => html`<option .selected=${k === this.pcMetric} value=${k}>${k}</option>`)}
          </select></label
        >
      </div>
      <cairn-parallel-coords .runs=${this.runs} .metric=${this.pcMetric} .colors=${colors} .paramKeys=${params.map((p) => p.key)}></cairn-parallel-coords>
    `;
  }
}

customElements.define('cairn-compare', CompareView);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-compare': CompareView;
  }
}
