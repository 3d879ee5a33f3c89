import { LitElement, css, html, nothing } from 'lit';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { ModelCard, TensorSpec } from '../../backend/api/registry';
import type { Host } from '../protocol/host';
import { formatValue } from '../runs-table/columns';
import { baseStyles } from '../shared/theme';
import { codeLabel, commandLine, datasetRows, formatBytes, formatTime, signatureSourceLabel, sortedMetrics, sortedParams, tensorRows } from './card-layout';

/** Run events are bursty while a run still logs: its card refetches at most this often. */
const RUN_REFETCH_MS = 500;

/**
 * A registered model version's card: header (name, version, aliases, status), lineage back to the
 * run (experiment, commit, command, data versions), the input/output signature, the run's metrics
 * and params, and the model files. Refetched when the model or its run changes. Every string is text.
 */
export class ModelCardView extends LitElement {
  static override properties = {
    host: { attribute: false },
    modelName: { type: String },
    version: { type: String },
    card: { state: true },
    experimentName: { state: true },
    error: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        padding: 8px 0 16px;
      }
      header {
        display: flex;
        gap: 10px;
        align-items: baseline;
        flex-wrap: wrap;
        padding-bottom: 6px;
        border-bottom: 1px solid var(--vscode-panel-border, #444);
      }
      header h1 {
        font-size: 18px;
        margin: 0;
      }
      .alias {
        display: inline-block;
        padding: 0 6px;
        margin-right: 4px;
        border-radius: 8px;
        background: var(--vscode-badge-background);
        color: var(--vscode-badge-foreground);
      }
      .status.READY {
        color: var(--vscode-testing-iconPassed, var(--vscode-charts-green));
      }
      .status.FAILED_REGISTRATION {
        color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground));
      }
      section {
        margin-top: 14px;
      }
      h2 {
        font-size: 14px;
        margin: 0 0 6px;
      }
      h3 {
        font-size: 13px;
        font-weight: 600;
        margin: 8px 0 4px;
      }
      table.grid {
        border-collapse: collapse;
        min-width: 50%;
      }
      table.grid th,
      table.grid td {
        text-align: left;
        padding: 3px 10px 3px 0;
        border-bottom: 1px solid var(--vscode-panel-border, #333);
        overflow-wrap: anywhere;
      }
      table.grid th {
        color: var(--vscode-descriptionForeground);
        font-weight: normal;
      }
      td.num {
        font-variant-numeric: tabular-nums;
      }
      code {
        font-family: var(--vscode-editor-font-family, monospace);
      }
    `,
  ];

  declare host: Host;
  declare modelName: string;
  declare version: string;
  private declare card: ModelCard | undefined;
  private declare experimentName: string | undefined;
  private declare error: string;
  private unsubscribe: (() => void)[] = [];
  private runRefetch: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  private reloadAfter = false;

  constructor() {
    super();
    this.modelName = '';
    this.version = '';
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe.push(this.host.onEvent((e) => this.onEvent(e)));
    this.unsubscribe.push(this.host.onResync(() => void this.load()));
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe.forEach((u) => u());
    this.unsubscribe = [];
    clearTimeout(this.runRefetch);
  }

  /** One fetch at a time; a change during a fetch fetches once more afterwards. */
  private load(): Promise<void> {
    if (this.loading) {
      this.reloadAfter = true;
      return this.loading;
    }
    this.loading = this.fetchCard().finally(() => {
      this.loading = undefined;
      if (this.reloadAfter) {
        this.reloadAfter = false;
        void this.load();
      }
    });
    return this.loading;
  }

  private async fetchCard(): Promise<void> {
    try {
      const card = await this.host.modelCard(this.modelName, this.version);
      const expId = card.run?.experiment_id;
      if (expId && this.card?.run?.experiment_id !== expId) {
        this.experimentName = await this.host.experiments().then((xs) => xs.find((x) => x.experiment_id === expId)?.name, () => undefined);
      }
      this.card = card;
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private onEvent(e: DeliveredEvent): void {
    if (e.type === 'model.updated') {
      if (e.name === this.modelName) void this.load();
      return;
    }
    const runId = this.card?.run?.run_id;
    if (runId && 'runId' in e && e.runId === runId && (e.type === 'run.updated' || e.type === 'run.data' || e.type === 'metrics.appended')) {
      this.runRefetch ??= setTimeout(() => {
        this.runRefetch = undefined;
        void this.load();
      }, RUN_REFETCH_MS);
    }
  }

  override render() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    const c = this.card;
    if (!c) return html`<p class="muted">Loading model card…</p>`;
    const v = c.version;
    return html`
      <header>
        <h1 class="model-name">${c.name}</h1>
        <span class="version">version ${v.version}</span>
        <span class="aliases">${c.aliases.length ? c.aliases.map((a) => html`<span class="alias">@${a}</span>`) : html`<span class="muted">no aliases</span>`}</span>
        <span class="status ${v.status}" title=${v.status_message}>${v.status}</span>
      </header>
      ${c.description ? html`<p class="description">${c.description}</p>` : nothing}
      <table class="kv summary">
        <tr><th>Registered</th><td>${formatTime(v.creation_timestamp)}${v.user_id ? ` by ${v.user_id}` : ''}</td></tr>
        <tr><th>Source</th><td><code>${v.source}</code></td></tr>
        ${c.flavor ? html`<tr><th>Runtime</th><td class="flavor">${c.flavor}</td></tr>` : nothing}
        ${c.logged_model_id ? html`<tr><th>Logged model</th><td><code>${c.logged_model_id}</code></td></tr>` : nothing}
      </table>
      ${this.renderLineage(c)} ${this.renderSignature(c)}
      <section class="metrics">
        <h2>Metrics</h2>
        ${c.metrics.length
          ? html`<table class="grid metrics">
              <tr><th>metric</th><th>value</th><th>step</th></tr>
              ${sortedMetrics(c.metrics).map((m) => html`<tr><td class="key">${m.key}</td><td class="num value" title=${String(m.value)}>${formatValue(m.value)}</td><td class="num">${m.step}</td></tr>`)}
            </table>`
          : html`<p class="muted">No metrics.</p>`}
      </section>
      <section class="params">
        <h2>Params</h2>
        ${c.params.length
          ? html`<table class="grid params">
              <tr><th>param</th><th>value</th></tr>
              ${sortedParams(c.params).map((p) => html`<tr><td class="key">${p.key}</td><td class="value">${p.value}</td></tr>`)}
            </table>`
          : html`<p class="muted">No params.</p>`}
      </section>
      <section class="files">
        <h2>Files</h2>
        ${c.files.length
          ? html`<table class="grid files">
              <tr><th>path</th><th>size</th></tr>
              ${c.files.map((f) => html`<tr><td class="path">${f.path}</td><td class="num" title=${`${f.size} bytes`}>${formatBytes(f.size)}</td></tr>`)}
            </table>`
          : html`<p class="muted">No files.</p>`}
      </section>
    `;
  }

  private renderLineage(c: ModelCard) {
    const r = c.run;
    if (!r) return html`<section class="lineage"><h2>Lineage</h2><p class="muted">No source run recorded.</p></section>`;
    const code = codeLabel(r);
    const command = commandLine(r.command);
    const data = datasetRows(c.datasets);
    return html`
      <section class="lineage">
        <h2>Lineage</h2>
        <table class="kv">
          <tr>
            <th>Run</th>
            <td class="run"><button class="link open-run" title="Open the run" @click=${() => this.host.openRun(r.run_id)}>${r.run_name || r.run_id}</button> <code class="muted run-id">${r.run_id}</code> <span class="status ${r.status}">${r.status}</span></td>
          </tr>
          <tr><th>Experiment</th><td class="experiment">${this.experimentName ?? r.experiment_id}</td></tr>
          <tr><th>Started</th><td>${formatTime(r.start_time)}${r.end_time ? `, ended ${formatTime(r.end_time)}` : ''}${r.user_id ? ` by ${r.user_id}` : ''}</td></tr>
          <tr><th>Code</th><td class="code">${code ? html`<code>${code}</code>${r.git_repo ? html` <span class="muted">${r.git_repo}</span>` : nothing}` : html`<span class="muted">no commit recorded</span>`}</td></tr>
          ${command ? html`<tr><th>Command</th><td class="command"><code>${command}</code></td></tr>` : nothing}
        </table>
        <h3>Data versions</h3>
        ${data.length
          ? html`<table class="grid datasets">
              <tr><th>name</th><th>digest</th><th>context</th><th>source</th></tr>
              ${data.map((d) => html`<tr><td>${d.name}</td><td><code>${d.digest}</code></td><td>${d.context}</td><td>${d.source}</td></tr>`)}
            </table>`
          : html`<p class="muted no-datasets">No data versions recorded.</p>`}
      </section>
    `;
  }

  private renderSignature(c: ModelCard) {
    const s = c.signature;
    if (!s) return html`<section class="signature"><h2>Signature</h2><p class="muted">Unknown: the model files declare none.</p></section>`;
    return html`
      <section class="signature">
        <h2>Signature <span class="muted source">(${signatureSourceLabel(s.source)})</span></h2>
        <h3>Inputs</h3>
        ${tensorTable('inputs', s.inputs)}
        <h3>Outputs</h3>
        ${tensorTable('outputs', s.outputs)}
        ${s.columns?.length ? html`<p class="columns">Columns: ${s.columns.join(', ')}</p>` : nothing}
        ${s.labels?.length ? html`<p class="labels">Labels: ${s.labels.join(', ')}</p>` : nothing}
      </section>
    `;
  }
}

function tensorTable(kind: 'inputs' | 'outputs', specs: TensorSpec[]) {
  if (!specs.length) return html`<p class="muted">none declared</p>`;
  return html`<table class="grid ${kind}">
    <tr><th>name</th><th>type</th><th>shape</th></tr>
    ${tensorRows(specs).map((t) => html`<tr><td>${t.name}</td><td>${t.type}</td><td>${t.shape}</td></tr>`)}
  </table>`;
}

customElements.define('cairn-model-card', ModelCardView);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-model-card': ModelCardView;
  }
}
