import { html, type TemplateResult } from 'lit';
import type { Host } from '../protocol/host';
import type { PanelInit } from '../protocol/panels';

/** The element of a panel, given its initial state. */
export function panelTemplate(host: Host, init: PanelInit): TemplateResult {
  switch (init.panel) {
    case 'runs-table':
      return html`<cairn-runs-table .host=${host} .experimentIds=${init.state.experimentIds}></cairn-runs-table>`;
    case 'run-detail':
      return html`<cairn-run-detail .host=${host} .runId=${init.state.runId}></cairn-run-detail>`;
    case 'compare':
      return html`<cairn-compare .host=${host} .runIds=${init.state.runIds}></cairn-compare>`;
    case 'dataset-diff':
      return html`<cairn-dataset-diff .report=${init.state.report}></cairn-dataset-diff>`;
    case 'drift-report':
      return html`<cairn-drift-report .host=${host} .reportId=${init.state.reportId}></cairn-drift-report>`;
    case 'model-card':
      return html`<cairn-model-card .host=${host} .modelName=${init.state.name} .version=${init.state.version}></cairn-model-card>`;
  }
}
