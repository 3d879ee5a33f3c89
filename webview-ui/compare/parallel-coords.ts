import { LitElement, css, html, svg } from 'lit';
import type { Run } from '../../backend/api/mlflow';
import { formatValue } from '../runs-table/columns';
import { axisFor, axisPosition, type Axis } from './params-diff';

const HEIGHT = 260;
const PAD = { top: 24, bottom: 28, left: 40, right: 40 };

/** Parallel coordinates (SVG): one axis per param plus the chosen metric; one line per run. */
export class ParallelCoords extends LitElement {
  static override properties = {
    runs: { attribute: false },
    metric: { type: String },
    colors: { attribute: false },
    paramKeys: { attribute: false },
  };

  static override styles = css`
    :host {
      display: block;
      overflow-x: auto;
    }
    text {
      fill: var(--vscode-foreground);
      font-size: 11px;
    }
    .axis {
      stroke: var(--vscode-descriptionForeground, #888);
    }
    .line {
      fill: none;
      stroke-width: 1.6;
      opacity: 0.85;
    }
    .line:hover {
      stroke-width: 3;
      opacity: 1;
    }
  `;

  declare runs: Run[];
  declare metric: string;
  declare colors: string[];
  declare paramKeys: string[];

  constructor() {
    super();
    this.runs = [];
    this.metric = '';
    this.colors = [];
    this.paramKeys = [];
  }

  override render() {
    const param = (r: Run, k: string) => r.data.params.find((p) => p.key === k)?.value;
    const metricOf = (r: Run) => r.data.metrics.find((m) => m.key === this.metric)?.value;
    const axes: { axis: Axis; get: (r: Run) => string | number | undefined }[] = this.paramKeys
      .map((k) => ({ axis: axisFor(k, this.runs.map((r) => param(r, k))), get: (r: Run) => param(r, k) }))
      .filter((a) => a.axis.kind === 'number' || a.axis.values.length > 0);
    if (this.metric) axes.push({ axis: axisFor(this.metric, this.runs.map(metricOf)), get: metricOf });
    if (axes.length < 2) return html`<p class="muted">Parallel coordinates need at least one param and a metric.</p>`;
    const width = Math.max(480, axes.length * 130);
    const x = (i: number) => PAD.left + (i * (width - PAD.left - PAD.right)) / (axes.length - 1);
    const y = (p: number) => PAD.top + (1 - p) * (HEIGHT - PAD.top - PAD.bottom);
    const label = (a: Axis, p: 0 | 1) => (a.kind === 'number' ? formatValue(p ? a.max : a.min) : (p ? a.values.at(-1) : a.values[0]) ?? '');
    return html`<svg width=${width} height=${HEIGHT} role="img" aria-label="Parallel coordinates of params against ${this.metric}">
      ${axes.map(
        ({ axis }, i) => svg`<line class="axis" x1=${x(i)} x2=${x(i)} y1=${PAD.top} y2=${HEIGHT - PAD.bottom}></line>
          <text x=${x(i)} y=${PAD.top - 8} text-anchor="middle">${axis.key}</text>
          <text x=${x(i) + 4} y=${PAD.top + 4}>${label(axis, 1)}</text>
          <text x=${x(i) + 4} y=${HEIGHT - PAD.bottom + 14}>${label(axis, 0)}</text>`,
      )}
      ${this.runs.map((r, ri) => {
        const pts = axes.map(({ axis, get }, i) => {
          const p = axisPosition(axis, get(r));
          return p === undefined ? undefined : `${x(i)},${y(p)}`;
        });
        const segments = pts.filter((p): p is string => p !== undefined);
        return svg`<polyline class="line" stroke=${this.colors[ri] ?? '#888'} points=${segments.join(' ')}><title>${r.info.run_name}</title></polyline>`;
      })}
    </svg>`;
  }
}

customElements.define('cairn-parallel-coords', ParallelCoords);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-parallel-coords': ParallelCoords;
  }
}
