import { LitElement, css, html, unsafeCSS } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';
import { formatValue } from '../runs-table/columns';
import { alignSeries, type Series } from './series';
import { smooth } from './smoothing';

/** The step range a user zoomed to, or null after a reset (double-click). */
export type ZoomDetail = { startStep: number; endStep: number } | null;

export interface ChartLine {
  label: string;
  color: string;
  series: Series;
}

/**
 * One metric chart (uPlot, canvas): any number of lines overlaid on a step axis, drag to zoom,
 * double-click to reset, optional EMA smoothing (the raw line stays faint behind it).
 */
export class MetricChart extends LitElement {
  static override properties = {
    title: { type: String },
    lines: { attribute: false },
    smoothing: { type: Number },
  };

  static override styles = [
    unsafeCSS(uplotCss),
    css`
    :host {
      display: block;
      min-width: 260px;
      border: 1px solid var(--vscode-panel-border, #333);
      border-radius: 4px;
      padding: 6px;
      box-sizing: border-box;
    }
    h4 {
      margin: 0 0 4px;
      font-weight: 600;
      font-size: 12px;
      overflow-wrap: anywhere;
    }
    .plot {
      width: 100%;
    }
    .meta {
      font-size: 11px;
      color: var(--vscode-descriptionForeground);
    }
    .u-legend {
      font-size: 11px;
      color: var(--vscode-foreground);
    }
  `,
  ];

  declare title: string;
  declare lines: ChartLine[];
  declare smoothing: number;
  private plot: uPlot | undefined;
  private resize: ResizeObserver | undefined;
  private plotKey = '';

  constructor() {
    super();
    this.title = '';
    this.lines = [];
    this.smoothing = 0;
  }

  override render() {
    const total = this.lines.reduce((s, l) => s + l.series.totalPoints, 0);
    const shown = this.lines.reduce((s, l) => s + l.series.steps.length, 0);
    return html`<h4>${this.title}</h4>
      <div class="plot" role="img" aria-label=${`Chart of ${this.title}`}></div>
      <div class="meta">${shown.toLocaleString()} of ${total.toLocaleString()} points${shown < total ? ' (downsampled; min/max kept)' : ''} · drag to zoom, double-click to reset</div>`;
  }

  override updated(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!el || this.lines.length === 0) return;
    const { x, ys } = alignSeries(this.lines.map((l) => l.series));
    const withSmooth = this.smoothing > 0;
    const data: uPlot.AlignedData = [x, ...ys.flatMap((y) => (withSmooth ? [y, smooth(y, this.smoothing)] : [y]))];
    const key = `${this.lines.map((l) => `${l.label}|${l.color}`).join(';')}|${withSmooth}`;
    const width = Math.max(240, el.clientWidth || this.clientWidth - 14 || 400);
    if (this.plot && key === this.plotKey) {
      // Same lines: new data only, keeping the user's zoom when there is one.
      const xs = this.plot.scales['x'];
      const zoomed = xs && xs.min !== undefined && xs.max !== undefined && (xs.min > x[0]! || xs.max < x[x.length - 1]!);
      this.plot.setData(data, !zoomed);
      return;
    }
    this.plot?.destroy();
    this.plotKey = key;
    const series: uPlot.Series[] = [{ label: 'step' }];
    for (const l of this.lines) {
      if (withSmooth) series.push({ label: `${l.label} (raw)`, stroke: l.color, alpha: 0.3, width: 1, spanGaps: true, points: { show: false } });
      // A line needs two points: a metric logged once is drawn as a dot.
      const dot = l.series.steps.length < 2;
      series.push({ label: l.label, stroke: l.color, width: 1.5, spanGaps: true, points: { show: dot, size: 7, fill: l.color }, value: (_u, v) => (v === null ? '—' : formatValue(v)) });
    }
    const opts: uPlot.Options = {
      width,
      height: 200,
      series,
      legend: { show: this.lines.length <= 12 },
      cursor: { drag: { x: true, y: false, setScale: true } },
      hooks: {
        // A drag-zoom: tell the panel, which fetches finer points for that step range.
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            this.dispatchEvent(new CustomEvent<ZoomDetail>('zoom', { detail: { startStep: Math.floor(min), endStep: Math.ceil(max) }, bubbles: true, composed: true }));
          },
        ],
      },
      scales: { x: { time: false } },
      axes: [
        { stroke: axisColor(this), grid: { stroke: gridColor(this), width: 1 }, ticks: { stroke: gridColor(this) } },
        { stroke: axisColor(this), grid: { stroke: gridColor(this), width: 1 }, ticks: { stroke: gridColor(this) }, size: 60, values: (_u, vals) => vals.map((v) => formatValue(v)) },
      ],
    };
    this.plot = new uPlot(opts, data, el);
    el.addEventListener('dblclick', () => {
      this.plot?.setData(this.plot.data, true);
      this.dispatchEvent(new CustomEvent<ZoomDetail>('zoom', { detail: null, bubbles: true, composed: true }));
    });
    this.resize ??= new ResizeObserver(() => {
      const w = el.clientWidth;
      if (this.plot && w > 0 && Math.abs(w - this.plot.width) > 4) this.plot.setSize({ width: w, height: 200 });
    });
    this.resize.observe(el);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
    this.plotKey = '';
  }
}

const cssVar = (el: Element, name: string, fallback: string) => getComputedStyle(el).getPropertyValue(name).trim() || fallback;
const axisColor = (el: Element) => cssVar(el, '--vscode-descriptionForeground', '#999');
const gridColor = (el: Element) => cssVar(el, '--vscode-editorGroup-border', 'rgba(128,128,128,0.2)');

customElements.define('cairn-metric-chart', MetricChart);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-metric-chart': MetricChart;
  }
}
