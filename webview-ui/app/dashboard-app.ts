import { LitElement, css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { Experiment } from '../../backend/api/mlflow';
import type { Host } from '../protocol/host';
import { baseStyles } from '../shared/theme';
import { panelTemplate } from './panel-root';
import { parseRoute, routeHref, type Route } from './routes';

/** The standalone dashboard: the same panels, routed by the URL hash. */
export class DashboardApp extends LitElement {
  static override properties = {
    host: { attribute: false },
    route: { state: true },
    experiments: { state: true },
    error: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100vh;
        box-sizing: border-box;
      }
      header {
        display: flex;
        gap: 12px;
        align-items: center;
        padding: 6px 12px;
        border-bottom: 1px solid var(--vscode-panel-border, #444);
      }
      header a {
        color: var(--vscode-textLink-foreground);
      }
      main {
        flex: 1;
        min-height: 0;
        overflow: auto;
        padding: 0 12px;
        display: flex;
        flex-direction: column;
      }
      main.table {
        overflow: hidden;
      }
      main > cairn-runs-table {
        flex: 1;
        min-height: 0;
      }
      select {
        background: var(--vscode-dropdown-background);
        color: var(--vscode-dropdown-foreground);
        border: 1px solid var(--vscode-dropdown-border, #555);
      }
    `,
  ];

  declare host: Host;
  private declare route: Route;
  private declare experiments: Experiment[] | undefined;
  private declare error: string;
  private readonly onHash = () => (this.route = parseRoute(location.hash));

  constructor() {
    super();
    this.route = parseRoute(location.hash);
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.host.experiments().then(
      (e) => (this.experiments = e),
      (err) => (this.error = (err as Error).message),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

  override render() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (!this.experiments) return html`<p class="muted">Loading…</p>`;
    const r = this.route;
    const expIds = r.view === 'runs' ? (r.experimentIds ?? this.experiments.map((e) => e.experiment_id)) : [];
    return html`
      <header>
        <strong>Cairn</strong>
        <a href=${routeHref({ view: 'runs' })}>Runs</a>
        ${r.view === 'runs'
          ? html`<label
              >Experiment
              <select class="experiment" @change=${(e: Event) => (location.hash = routeHref({ view: 'runs', experimentIds: (e.target as HTMLSelectElement).value ? [(e.target as HTMLSelectElement).value] : undefined }).slice(1))}>
                <option value="" .selected=${!r.experimentIds}>All experiments</option>
                ${this.experiments.map((e) => html`<option value=${e.experiment_id} .selected=${r.experimentIds?.length === 1 && r.experimentIds[0] === e.experiment_id}>${e.name}</option>`)}
              </select></label
            >`
          : nothing}
      </header>
      <main class=${r.view === 'runs' ? 'table' : ''}>
        ${r.view === 'runs'
          ? keyed(expIds.join(','), panelTemplate(this.host, { panel: 'runs-table', state: { experimentIds: expIds } }))
          : r.view === 'run'
            ? keyed(r.runId, html`<cairn-run-detail .host=${this.host} .runId=${r.runId} .tab=${(r.tab as never) ?? 'overview'}></cairn-run-detail>`)
            : r.view === 'drift'
              ? keyed(r.reportId, panelTemplate(this.host, { panel: 'drift-report', state: { reportId: r.reportId } }))
              : r.view === 'model'
                ? keyed(`${r.name}/${r.version}`, panelTemplate(this.host, { panel: 'model-card', state: { name: r.name, version: r.version } }))
              : keyed(r.runIds.join(','), panelTemplate(this.host, { panel: 'compare', state: { runIds: r.runIds } }))}
      </main>
    `;
  }
}

customElements.define('cairn-dashboard', DashboardApp);
