import { LitElement, css, html, nothing } from 'lit';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { Run } from '../../backend/api/mlflow';
import { RUN_ARTIFACTS, RUN_TAGS } from '../../backend/api/run-record';
import '../charts/metric-chart';
import { decodeSeries, isSystemMetric, type Series } from '../charts/series';
import type { ZoomDetail } from '../charts/metric-chart';
import type { Host, StepRange } from '../protocol/host';
import { formatDuration, formatTime, formatValue } from '../runs-table/columns';
import { markDataArrived, markPaintedWhen } from '../shared/marks';
import { baseStyles, chartColor } from '../shared/theme';
import './artifacts-view';

const MAX_POINTS = 1500;
const LOG_TAIL_LINES = 400;
const TABS = ['overview', 'metrics', 'system', 'logs', 'artifacts', 'code'] as const;
type Tab = (typeof TABS)[number];

/**
 * A run's detail: overview (info, params, tags, note), metric charts from the downsampled endpoint
 * (live while it trains), system metrics, the log tail, artifacts, and git info with "show code
 * diff". Everything a script logged is rendered as text, never as markup.
 */
export class RunDetail extends LitElement {
  static override properties = {
    host: { attribute: false },
    runId: { type: String },
    tab: { type: String },
    run: { state: true },
    series: { state: true },
    smoothing: { state: true },
    log: { state: true },
    error: { state: true },
    noteDraft: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        padding: 0 12px 24px;
      }
      header {
        display: flex;
        gap: 10px;
        align-items: baseline;
        flex-wrap: wrap;
      }
      h2 {
        margin: 8px 0;
        overflow-wrap: anywhere;
      }
      nav {
        display: flex;
        gap: 2px;
        border-bottom: 1px solid var(--vscode-panel-border, #444);
        margin: 8px 0;
      }
      nav button {
        background: none;
        border: none;
        border-bottom: 2px solid transparent;
        color: var(--vscode-foreground);
        padding: 6px 10px;
        cursor: pointer;
        font: inherit;
      }
      nav button[aria-selected='true'] {
        border-bottom-color: var(--vscode-focusBorder, #007fd4);
      }
      nav button:focus-visible {
        outline: 1px solid var(--vscode-focusBorder);
      }
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(360px, 1fr));
        gap: 10px;
      }
      pre.log {
        background: var(--vscode-textCodeBlock-background, rgba(128, 128, 128, 0.1));
        padding: 8px;
        max-height: 70vh;
        overflow: auto;
        white-space: pre-wrap;
        font-family: var(--vscode-editor-font-family, monospace);
        font-size: 12px;
      }
      section {
        margin-bottom: 16px;
      }
      h3 {
        font-size: 13px;
        margin: 12px 0 6px;
      }
      textarea {
        width: 100%;
        min-height: 60px;
        background: var(--vscode-input-background);
        color: var(--vscode-input-foreground);
        border: 1px solid var(--vscode-input-border, #555);
        font: inherit;
      }
    `,
  ];

  declare host: Host;
  declare runId: string;
  declare tab: Tab;
  private declare run: Run | undefined;
  private declare series: Map<string, Series>;
  private declare smoothing: number;
  private declare log: string[] | undefined;
  private declare error: string;
  private declare noteDraft: string | undefined;
  private unsubscribe: (() => void)[] = [];
  private refetchKeys = new Set<string>();
  private refetchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.runId = '';
    this.tab = 'overview';
    this.series = new Map();
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
    this.unsubscribe = [];
    clearTimeout(this.refetchTimer);
  }

  private async load(): Promise<void> {
    try {
      this.run = await this.host.getRun(this.runId);
      this.error = '';
      await this.loadSeries(this.run.data.metrics.map((m) => m.key));
      if (this.tab === 'logs') void this.loadLog();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Step ranges the user zoomed charts to: their series are fetched at full resolution for that range. */
  private zoom = new Map<string, StepRange>();

  private async loadSeries(keys: string[]): Promise<void> {
    const fetched = await Promise.all(keys.map((k) => this.host.metricSeries(this.runId, k, MAX_POINTS, this.zoom.get(k)).then(decodeSeries, () => undefined)));
    markDataArrived('run-detail');
    const next = new Map(this.series);
    for (const s of fetched) if (s) next.set(s.key, s);
    this.series = next;
    markPaintedWhen('run-detail', () => this.tab !== 'metrics' || this.renderRoot.querySelectorAll('cairn-metric-chart').length === 0 || [...this.renderRoot.querySelectorAll('cairn-metric-chart')].every((c) => c.shadowRoot?.querySelector('canvas')));
  }

  private async loadLog(): Promise<void> {
    const content = await this.host.readArtifact(this.runId, RUN_ARTIFACTS.log, 4 * 1024 * 1024).catch(() => null);
    const text = content ? new TextDecoder().decode(Uint8Array.from(atob(content.base64), (c) => c.charCodeAt(0))) : '';
    this.log = text ? text.split(/\r?\n/).slice(-LOG_TAIL_LINES) : [];
  }

  private onEvent(e: DeliveredEvent): void {
    if (!('runId' in e) || e.runId !== this.runId) return;
    if (e.type === 'metrics.appended') {
      for (const l of e.latest) this.refetchKeys.add(l.key);
      this.refetchTimer ??= setTimeout(() => {
        this.refetchTimer = undefined;
        const keys = [...this.refetchKeys];
        this.refetchKeys.clear();
        void this.loadSeries(keys);
        void this.host.getRun(this.runId).then((r) => (this.run = r));
      }, 500);
    } else if (e.type === 'log.tail') {
      this.log = [...(this.log ?? []), ...e.lines].slice(-LOG_TAIL_LINES);
    } else if (e.type === 'run.updated' || e.type === 'run.data') {
      void this.host.getRun(this.runId).then((r) => (this.run = r));
      if (e.type === 'run.updated' && e.status && e.status !== 'RUNNING' && this.tab === 'logs') void this.loadLog();
    } else if (e.type === 'artifact.written') {
      this.renderRoot.querySelector('cairn-artifacts')?.refresh();
    }
  }

  private select(tab: Tab): void {
    this.tab = tab;
    if (tab === 'logs' && !this.log) void this.loadLog();
  }

  override render() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    const run = this.run;
    if (!run) return html`<p class="muted">Loading run…</p>`;
    const tag = (k: string) => run.data.tags.find((t) => t.key === k)?.value;
    return html`
      <header>
        <h2 class="run-name">${run.info.run_name}</h2>
        <span class="status ${run.info.status}">${run.info.status.toLowerCase()}</span>
        ${tag(RUN_TAGS.starred) === 'true' ? html`<span title="starred">★</span>` : nothing}
        <span class="muted">${run.info.run_id}</span>
      </header>
      <nav role="tablist">
        ${TABS.map((t) => html`<button role="tab" class="tab-${t}" aria-selected=${this.tab === t} @click=${() => this.select(t)}>${t[0]!.toUpperCase() + t.slice(1)}</button>`)}
      </nav>
      ${this.tab === 'overview' ? this.renderOverview(run, tag) : nothing} ${this.tab === 'metrics' ? this.renderCharts(false) : nothing}
      ${this.tab === 'system' ? this.renderCharts(true) : nothing} ${this.tab === 'logs' ? this.renderLog() : nothing}
      ${this.tab === 'artifacts' ? html`<cairn-artifacts .host=${this.host} .runId=${this.runId}></cairn-artifacts>` : nothing}
      ${this.tab === 'code' ? this.renderCode(tag) : nothing}
    `;
  }

  private renderOverview(run: Run, tag: (k: string) => string | undefined) {
    const duration = run.info.end_time ? formatDuration(run.info.end_time - run.info.start_time) : run.info.status === 'RUNNING' ? `${formatDuration(Date.now() - run.info.start_time)} so far` : '';
    let command = tag(RUN_TAGS.command) ?? '';
    try {
      if (command) command = (JSON.parse(command) as string[]).join(' ');
    } catch {
      // shown as recorded
    }
    const note = tag(RUN_TAGS.note) ?? '';
    return html`
      <section>
        <table class="kv overview">
          <tr><th>Started</th><td>${formatTime(run.info.start_time)}</td></tr>
          <tr><th>Duration</th><td>${duration}</td></tr>
          <tr><th>User</th><td>${run.info.user_id}</td></tr>
          <tr><th>Command</th><td><code>${command}</code></td></tr>
          <tr><th>Experiment</th><td>${run.info.experiment_id}</td></tr>
        </table>
      </section>
      <section>
        <h3>Latest metrics</h3>
        <table class="kv metrics">
          ${[...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => html`<tr><th>${m.key}</th><td>${formatValue(m.value)}</td></tr>`)}
        </table>
        ${run.data.metrics.length ? html`<button class="link" @click=${() => this.select('metrics')}>charts →</button>` : html`<p class="muted">No metrics yet.</p>`}
      </section>
      <section>
        <h3>Params</h3>
        ${run.data.params.length
          ? html`<table class="kv params">
              ${[...run.data.params].sort((a, b) => a.key.localeCompare(b.key)).map((p) => html`<tr><th>${p.key}</th><td>${p.value}</td></tr>`)}
            </table>`
          : html`<p class="muted">No params.</p>`}
      </section>
      <section>
        <h3>Note</h3>
        <textarea aria-label="Note" .value=${this.noteDraft ?? note} @input=${(e: Event) => (this.noteDraft = (e.target as HTMLTextAreaElement).value)}></textarea>
        <vscode-button ?disabled=${this.noteDraft === undefined || this.noteDraft === note} @click=${() => this.saveNote()}>Save note</vscode-button>
      </section>
      <section>
        <h3>Tags</h3>
        <table class="kv tags">
          ${[...run.data.tags]
            .filter((t) => t.key !== RUN_TAGS.note)
            .sort((a, b) => a.key.localeCompare(b.key))
            .map((t) => html`<tr><th>${t.key}</th><td>${t.value}</td></tr>`)}
        </table>
      </section>
    `;
  }

  private async saveNote(): Promise<void> {
    if (this.noteDraft === undefined) return;
    await this.host.setTag(this.runId, RUN_TAGS.note, this.noteDraft);
    this.noteDraft = undefined;
  }

  private renderCharts(system: boolean) {
    const keys = [...this.series.keys()].filter((k) => isSystemMetric(k) === system).sort();
    if (keys.length === 0) return html`<p class="muted">${system ? 'No system metrics were recorded (cairn run samples CPU, memory and GPU as system/… metrics).' : 'No metrics yet.'}</p>`;
    const color = chartColor(0, this);
    return html`
      <div class="toolbar">
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
        <span class="muted">${this.smoothing.toFixed(2)}</span>
      </div>
      <div class="charts">
        ${keys.map((k) => html`<cairn-metric-chart @zoom=${(e: CustomEvent<ZoomDetail>) => this.onZoom(k, e.detail)} data-metric=${k} .title=${k} .smoothing=${this.smoothing} .lines=${[{ label: this.run?.info.run_name ?? k, color, series: this.series.get(k)! }]}></cairn-metric-chart>`)}
      </div>
    `;
  }

  private onZoom(key: string, range: ZoomDetail): void {
    if (range) this.zoom.set(key, range);
    else this.zoom.delete(key);
    void this.loadSeries([key]);
  }

  private renderLog() {
    if (!this.log) return html`<p class="muted">Loading log…</p>`;
    return html`<div class="toolbar">
        <vscode-button secondary @click=${() => this.host.openLog(this.runId)}>Open full log</vscode-button>
        <span class="muted">last ${this.log.length} lines${this.run?.info.status === 'RUNNING' ? ', live' : ''}</span>
      </div>
      <pre class="log">${this.log.length ? this.log.join('\n') : '(no output was recorded)'}</pre>`;
  }

  private renderCode(tag: (k: string) => string | undefined) {
    const commit = tag(RUN_TAGS.gitCommit);
    return html`
      <table class="kv git">
        <tr><th>Commit</th><td>${commit ?? 'not recorded (not a git repository?)'}</td></tr>
        <tr><th>Branch</th><td>${tag(RUN_TAGS.gitBranch) ?? ''}</td></tr>
        <tr><th>Repository</th><td>${tag(RUN_TAGS.gitRepoUrl) ?? ''}</td></tr>
        <tr><th>Uncommitted changes</th><td>${tag(RUN_TAGS.gitDirty) === 'true' ? 'yes (recorded in cairn/code.diff)' : 'no'}</td></tr>
      </table>
      <div class="toolbar">
        <vscode-button class="show-code-diff" @click=${() => this.host.showCodeDiff([this.runId])}>Show code diff</vscode-button>
      </div>
      ${this.host.kind === 'browser' ? html`<cairn-artifact-preview .host=${this.host} .runId=${this.runId} .path=${RUN_ARTIFACTS.codeDiff}></cairn-artifact-preview>` : nothing}
    `;
  }
}

customElements.define('cairn-run-detail', RunDetail);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-run-detail': RunDetail;
  }
}
