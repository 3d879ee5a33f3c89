import { LitElement, css, html, unsafeCSS } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';
import { formatValue } from '../runs-table/columns';
import type { HistogramSeries } from './drift-layout';

const SIDES = [
  { key: 'reference', label: 'reference', color: '--vscode-charts-blue', fallback: '#3794ff' },
  { key: 'current', label: 'current', color: '--vscode-charts-red', fallback: '#f14c4c' },
] as const;

/**
 * A distribution chart (uPlot, canvas, like the metric charts): numerical bins as filled steps,
 * categories as bars. `compact` is a sparkline (no axes, no legend, no cursor); otherwise both
 * sides overlay with a legend and axes.
 */
export class DistChart extends LitElement {
  static override properties = {
    series: { attribute: false },
    compact: { type: Boolean, reflect: true },
    label: { type: String },
  };

  static override styles = [
    unsafeCSS(uplotCss),
    css`
      :host {
        display: block;
      }
      :host([compact]) {
        width: 120px;
        height: 32px;
      }
      .u-legend {
        font-size: 11px;
        color: var(--vscode-foreground);
      }
    `,
  ];

  declare series: HistogramSeries | undefined;
  declare compact: boolean;
  declare label: string;
  private plot: uPlot | undefined;

  constructor() {
    super();
    this.compact = false;
    this.label = '';
  }

  override render() {
    return html`<div class="plot" role="img" aria-label=${this.label}></div>`;
  }

  override updated(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('.plot');
    const s = this.series;
    if (!el || !s || s.x.length === 0) return;
    this.plot?.destroy();
    const width = this.compact ? 120 : Math.max(320, Math.min(720, this.clientWidth || 560));
    const height = this.compact ? 32 : 220;
    const shown = SIDES.filter((side) => s[side.key].some((v) => v !== null));
    const path = s.kind === 'num' ? uPlot.paths.stepped!({ align: 1 }) : undefined;
    const series: uPlot.Series[] = [
      { label: s.kind === 'num' ? 'value' : 'category', value: (_u, v) => (v === null ? '—' : s.kind === 'cat' ? (s.labels[v] ?? '') : formatValue(v)) },
      ...shown.map((side, i): uPlot.Series => {
        const color = cssVar(this, side.color, side.fallback);
        const bars = uPlot.paths.bars!({ size: [shown.length > 1 ? 0.4 : 0.8, 60], align: shown.length > 1 ? (i === 0 ? -1 : 1) : 0 });
        return { label: side.label, stroke: color, fill: color, alpha: shown.length > 1 ? 0.45 : 0.7, width: 1, points: { show: false }, paths: path ?? bars, value: (_u, v) => (v === null ? '—' : formatValue(v)) };
      }),
    ];
    const ys = shown.map((side) => s[side.key]);
    const top = Math.max(1e-12, ...ys.flat().map((v) => v ?? 0)) * 1.05;
    const xRange: uPlot.Range.MinMax = s.kind === 'cat' ? [-0.5, s.x.length - 0.5] : [s.x[0]!, s.x[s.x.length - 1]! > s.x[0]! ? s.x[s.x.length - 1]! : s.x[0]! + 1];
    const axis = (values: uPlot.Axis['values']): uPlot.Axis => ({ show: !this.compact, stroke: cssVar(this, '--vscode-descriptionForeground', '#999'), grid: { stroke: cssVar(this, '--vscode-editorGroup-border', 'rgba(128,128,128,0.2)'), width: 1 }, values });
    this.plot = new uPlot(
      {
        width,
        height,
        series,
        legend: { show: !this.compact },
        cursor: { show: !this.compact },
        padding: this.compact ? [2, 0, 0, 0] : undefined,
        scales: { x: { time: false, range: xRange }, y: { range: [0, top] } },
        axes: [
          axis(s.kind === 'cat' ? (_u, vals) => vals.map((v) => (Number.isInteger(v) ? (s.labels[v] ?? '') : '')) : (_u, vals) => vals.map((v) => formatValue(v))),
          { ...axis((_u, vals) => vals.map((v) => formatValue(v))), size: 50 },
        ],
      },
      [s.x, ...ys] as uPlot.AlignedData,
      el,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = undefined;
  }
}

const cssVar = (el: Element, name: string, fallback: string) => getComputedStyle(el).getPropertyValue(name).trim() || fallback;

customElements.define('cairn-dist-chart', DistChart);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-dist-chart': DistChart;
  }
}
