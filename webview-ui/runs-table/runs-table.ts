import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import { LitElement, css, html, nothing } from 'lit';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { Host } from '../protocol/host';
import { markDataArrived, markPaintedWhen } from '../shared/marks';
import { baseStyles } from '../shared/theme';
import { columnDiffers, discoverColumns, insertionIndex, sortRows, type Column, type SortDir } from './columns';
import { patchMetrics, toRow, type RunRow } from './run-row';

const ROW_HEIGHT = 24;
const SELECT_WIDTH = 28;

/** Flow layout told the row height up front: the first frame already renders a full screen of rows. */
class RowLayout extends FlowLayout {
  constructor(...args: ConstructorParameters<typeof FlowLayout>) {
    super(...args);
    this._itemSize = { width: 1000, height: ROW_HEIGHT };
  }
}

interface TableUiState {
  sort: { col: string; dir: SortDir };
  hidden: string[];
  onlyDiffering: boolean;
  filter: string;
}

/**
 * The Runs table: every run of the chosen experiments, virtualised (only visible rows exist in the
 * DOM), with a column picker, sorting, an MLflow filter, "only columns that differ" and a
 * selection to compare. Live events patch single rows in place: scroll and selection stay.
 */
export class RunsTable extends LitElement {
  static override properties = {
    host: { attribute: false },
    experimentIds: { attribute: false },
    rows: { state: true },
    columns: { state: true },
    ui: { state: true },
    selected: { state: true },
    error: { state: true },
    loading: { state: true },
    version: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        min-height: 0;
      }
      .scroller {
        flex: 1;
        overflow: auto;
        min-height: 0;
        position: relative;
        border-top: 1px solid var(--vscode-panel-border, #333);
      }
      .row {
        display: grid;
        grid-template-columns: var(--cols);
        width: var(--width);
        height: ${ROW_HEIGHT}px;
        line-height: ${ROW_HEIGHT - 1}px;
        box-sizing: border-box;
        border-bottom: 1px solid var(--vscode-editorGroup-border, transparent);
        cursor: default;
      }
      .body > .row {
        /* Each row is a fixed box: layout and paint stay inside it (cheaper first paint and scroll). */
        contain: strict;
      }
      .row:hover {
        background: var(--vscode-list-hoverBackground);
      }
      .row.selected {
        background: var(--vscode-list-inactiveSelectionBackground);
        color: var(--vscode-list-inactiveSelectionForeground, inherit);
      }
      .row.deleted {
        opacity: 0.6;
        text-decoration: line-through;
      }
      .head {
        position: sticky;
        top: 0;
        z-index: 2;
        background: var(--vscode-editor-background);
        font-weight: 600;
        border-bottom: 1px solid var(--vscode-panel-border, #444);
      }
      .cell {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        padding: 0 6px;
      }
      .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .head .cell {
        cursor: pointer;
        user-select: none;
      }
      .head .cell.param {
        color: var(--vscode-charts-purple, inherit);
      }
      .head .cell.metric {
        color: var(--vscode-charts-blue, inherit);
      }
      .name button {
        max-width: 100%;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      details.picker {
        position: relative;
      }
      details.picker > div {
        position: absolute;
        z-index: 5;
        max-height: 320px;
        overflow: auto;
        background: var(--vscode-dropdown-background, var(--vscode-editor-background));
        border: 1px solid var(--vscode-dropdown-border, #555);
        padding: 6px;
        min-width: 220px;
      }
      details.picker label {
        display: block;
        white-space: nowrap;
      }
      .filter {
        min-width: 320px;
        flex: 1;
      }
      .empty {
        padding: 16px;
      }
    `,
  ];

  // Reactive fields are `declare`d and set in the constructor (no decorators, class-field safe).
  declare host: Host;
  declare experimentIds: string[];
  private declare rows: RunRow[];
  private declare columns: Column[];
  private declare ui: TableUiState;
  private declare selected: Set<string>;
  private declare error: string;
  private declare loading: boolean;
  /** Bumped when rows change in place, so the virtualizer re-renders visible rows. */
  private declare version: number;
  private byId = new Map<string, RunRow>();
  private unsubscribe: (() => void)[] = [];
  private pendingFetch = new Set<string>();
  private fetchTimer: ReturnType<typeof setTimeout> | undefined;
  private differingCache: { version: number; rows: RunRow[]; ids: Set<string> } | undefined;

  constructor() {
    super();
    this.experimentIds = [];
    this.rows = [];
    this.columns = [];
    this.ui = { sort: { col: 'start', dir: 'desc' }, hidden: [], onlyDiffering: false, filter: '' };
    this.selected = new Set();
    this.error = '';
    this.loading = true;
    this.version = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const saved = this.host.getState<TableUiState>('runs-table');
    if (saved) this.ui = { ...this.ui, ...saved };
    this.unsubscribe.push(this.host.onEvent((e) => this.onEvent(e)));
    this.unsubscribe.push(this.host.onResync(() => void this.load()));
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe.forEach((u) => u());
    this.unsubscribe = [];
  }

  /** (Re)loads the table: the only time whole data is fetched — on open, filter change or resync. */
  async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      const runs = await this.host.searchRuns({ experimentIds: this.experimentIds, filter: this.ui.filter || undefined });
      markDataArrived('runs-table');
      const rows = runs.map(toRow);
      this.byId = new Map(rows.map((r) => [r.id, r]));
      this.columns = discoverColumns(rows);
      this.rows = sortRows(rows, this.sortColumn(), this.ui.sort.dir);
      this.loading = false;
      markPaintedWhen('runs-table', () => rows.length === 0 || !!this.renderRoot.querySelector('.row[data-run-id]'));
    } catch (err) {
      this.error = (err as Error).message;
      this.loading = false;
    }
  }

  private sortColumn(): Column {
    return this.columns.find((c) => c.id === this.ui.sort.col) ?? this.columns[2] ?? discoverColumns([])[2]!;
  }

  private saveUi(patch: Partial<TableUiState>): void {
    this.ui = { ...this.ui, ...patch };
    this.host.setState('runs-table', this.ui);
  }

  // ---- live updates

  private onEvent(e: DeliveredEvent): void {
    if (!('runId' in e) || !e.runId) return;
    if ('experimentId' in e && !this.experimentIds.includes(e.experimentId)) return;
    if (e.type === 'metrics.appended' && !this.ui.filter) {
      const row = this.byId.get(e.runId);
      if (row && patchMetrics(row, e.latest)) {
        if (e.latest.some((l) => !this.columns.some((c) => c.id === `metrics.${l.key}`))) this.columns = discoverColumns(this.rows);
        this.touch();
      }
      return;
    }
    if (e.type === 'run.created' || e.type === 'run.updated' || e.type === 'run.data' || e.type === 'metrics.appended') {
      this.pendingFetch.add(e.runId);
      this.fetchTimer ??= setTimeout(() => void this.flushFetches(), 150);
    }
  }

  /** Fetches the runs events named (coalesced) and places each: insert, replace or remove one row. */
  private async flushFetches(): Promise<void> {
    this.fetchTimer = undefined;
    const ids = [...this.pendingFetch];
    this.pendingFetch.clear();
    let structural = false;
    for (const id of ids) {
      let run;
      try {
        if (this.ui.filter) {
          const found = await this.host.searchRuns({ experimentIds: this.experimentIds, filter: `${this.ui.filter} and attributes.run_id = '${id}'` });
          run = found[0];
        } else run = await this.host.getRun(id);
      } catch {
        continue;
      }
      const existing = this.byId.get(id);
      const gone = !run || run.info.lifecycle_stage === 'deleted';
      if (gone) {
        if (existing) {
          this.rows = this.rows.filter((r) => r !== existing);
          this.byId.delete(id);
          this.selected.delete(id);
          structural = true;
        }
        continue;
      }
      const row = toRow(run!);
      if (existing) {
        Object.assign(existing, row);
        continue;
      }
      this.insertRow(row);
      structural = true;
    }
    if (structural || ids.length) this.columns = discoverColumns(this.rows);
    this.touch();
  }

  private insertRow(row: RunRow): void {
    const at = insertionIndex(this.rows, row, this.sortColumn(), this.ui.sort.dir);
    const rows = this.rows.slice();
    rows.splice(at, 0, row);
    this.byId.set(row.id, row);
    // Keep what the user looks at in place when a row lands above it.
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
    if (scroller && scroller.scrollTop > 0 && at * ROW_HEIGHT < scroller.scrollTop) {
      void this.updateComplete.then(() => (scroller.scrollTop += ROW_HEIGHT));
    }
    this.rows = rows;
  }

  private touch(): void {
    this.version++;
  }

  // ---- interactions

  private sortBy(col: Column): void {
    const dir: SortDir = this.ui.sort.col === col.id ? (this.ui.sort.dir === 'asc' ? 'desc' : 'asc') : col.kind === 'fixed' && col.id !== 'start' ? 'asc' : 'desc';
    this.saveUi({ sort: { col: col.id, dir } });
    this.rows = sortRows(this.rows.slice(), col, dir);
  }

  private toggleSelect(id: string, ev: MouseEvent | KeyboardEvent): void {
    const next = new Set(this.selected);
    if (ev.shiftKey && this.lastClicked) {
      const a = this.rows.findIndex((r) => r.id === this.lastClicked);
      const b = this.rows.findIndex((r) => r.id === id);
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) next.add(this.rows[i]!.id);
    } else if (next.has(id)) next.delete(id);
    else next.add(id);
    this.lastClicked = id;
    this.selected = next;
  }
  private lastClicked: string | undefined;

  private applyFilter(value: string): void {
    if (value.trim() === this.ui.filter) return;
    this.saveUi({ filter: value.trim() });
    void this.load();
  }

  private visibleColumns(): Column[] {
    const hidden = new Set(this.ui.hidden);
    let cols = this.columns.filter((c) => !hidden.has(c.id));
    if (this.ui.onlyDiffering) {
      if (!this.differingCache || this.differingCache.version !== this.version || this.differingCache.rows !== this.rows) {
        this.differingCache = { version: this.version, rows: this.rows, ids: new Set(this.columns.filter((c) => columnDiffers(c, this.rows)).map((c) => c.id)) };
      }
      const ids = this.differingCache.ids;
      cols = cols.filter((c) => ids.has(c.id));
    }
    return cols;
  }

  // ---- rendering

  override render() {
    const cols = this.visibleColumns();
    const template = `${SELECT_WIDTH}px ${cols.map((c) => `${c.width}px`).join(' ')}`;
    const width = `${SELECT_WIDTH + cols.reduce((s, c) => s + c.width, 0)}px`;
    const sel = this.selected.size;
    return html`
      <div class="toolbar">
        <vscode-textfield
          class="filter"
          placeholder="Filter (MLflow syntax): metrics.accuracy > 0.9 and params.lr = '0.01'"
          .value=${this.ui.filter}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.applyFilter((e.target as HTMLInputElement).value)}
          @change=${(e: Event) => this.applyFilter((e.target as HTMLInputElement).value)}
          aria-label="Filter runs"
        ></vscode-textfield>
        <vscode-checkbox
          .checked=${this.ui.onlyDiffering}
          @change=${(e: Event) => this.saveUi({ onlyDiffering: (e.target as HTMLInputElement).checked })}
          class="only-differing"
          >Only columns that differ</vscode-checkbox
        >
        ${this.renderPicker()}
        <span class="muted count">${this.loading ? 'loading…' : `${this.rows.length} runs`}${sel ? ` · ${sel} selected` : ''}</span>
        <vscode-button class="compare" ?disabled=${sel < 2} @click=${() => this.host.compareRuns([...this.selected])}>Compare ${sel || ''}</vscode-button>
        <vscode-button class="diff" secondary ?disabled=${sel !== 2} @click=${() => this.host.diffRuns([...this.selected])}>Diff two</vscode-button>
        ${sel ? html`<button class="link clear-selection" @click=${() => (this.selected = new Set())}>clear selection</button>` : nothing}
      </div>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      <div class="scroller" role="grid" aria-rowcount=${this.rows.length + 1} data-cols=${template} data-width=${width}>
        <div class="row head" role="row">
          <div class="cell" role="columnheader">
            <input
              type="checkbox"
              aria-label="Select all"
              .checked=${sel > 0 && sel === this.rows.length}
              @change=${(e: Event) => (this.selected = (e.target as HTMLInputElement).checked ? new Set(this.rows.map((r) => r.id)) : new Set())}
            />
          </div>
          ${cols.map(
            (c) => html`<div
              class="cell ${c.kind} ${c.kind === 'fixed' ? '' : 'num'}"
              role="columnheader"
              data-col=${c.id}
              tabindex="0"
              title=${`${c.kind === 'fixed' ? '' : `${c.kind}: `}${c.label} — click to sort`}
              aria-sort=${this.ui.sort.col === c.id ? (this.ui.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              @click=${() => this.sortBy(c)}
              @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.sortBy(c)}
            >
              ${c.label}${this.ui.sort.col === c.id ? (this.ui.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
            </div>`,
          )}
        </div>
        ${!this.loading && this.rows.length === 0 ? html`<div class="empty muted">${this.ui.filter ? 'No run matches the filter.' : 'No runs yet: track a script to create one.'}</div>` : nothing}
        <div class="body">${virtualize({ items: this.rows, layout: { type: RowLayout }, keyFunction: (r: RunRow) => r.id, renderItem: (r: RunRow) => this.renderRow(r, cols) })}</div>
      </div>
    `;
  }

  /** Column geometry goes in through the CSSOM: a style attribute would break the strict CSP. */
  override updated(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('.scroller');
    if (!el) return;
    el.style.setProperty('--cols', el.dataset['cols'] ?? '');
    el.style.setProperty('--width', el.dataset['width'] ?? '');
  }

  private renderRow(r: RunRow, cols: Column[]) {
    const selected = this.selected.has(r.id);
    return html`<div
      class="row ${selected ? 'selected' : ''} ${r.deleted ? 'deleted' : ''}"
      role="row"
      data-run-id=${r.id}
      aria-selected=${selected}
      data-v=${this.version}
      @dblclick=${() => this.host.openRun(r.id)}
    >
      <div class="cell" role="gridcell">
        <input type="checkbox" aria-label=${`Select ${r.name}`} .checked=${selected} @click=${(e: MouseEvent) => this.toggleSelect(r.id, e)} />
      </div>
      ${cols.map((c) =>
        c.id === 'name'
          ? html`<div class="cell name" role="gridcell" title=${r.name}>
              ${r.starred ? '★ ' : ''}<button class="link" @click=${() => this.host.openRun(r.id)}>${r.name}</button>
            </div>`
          : c.id === 'status'
            ? html`<div class="cell" role="gridcell"><span class="status ${r.status}">${c.text(r)}</span></div>`
            : html`<div class="cell ${c.kind === 'fixed' ? '' : 'num'}" role="gridcell" title=${c.text(r)}>${c.text(r)}</div>`,
      )}
    </div>`;
  }

  private renderPicker() {
    const hidden = new Set(this.ui.hidden);
    const toggle = (id: string, on: boolean) => this.saveUi({ hidden: on ? this.ui.hidden.filter((h) => h !== id) : [...this.ui.hidden, id] });
    return html`<details class="picker">
      <summary>Columns (${this.columns.length - hidden.size}/${this.columns.length})</summary>
      <div role="group" aria-label="Columns">
        ${this.columns.map(
          (c) => html`<label
            ><input type="checkbox" data-col=${c.id} .checked=${!hidden.has(c.id)} @change=${(e: Event) => toggle(c.id, (e.target as HTMLInputElement).checked)} />
            ${c.kind === 'fixed' ? '' : `${c.kind}s.`}${c.label}</label
          >`,
        )}
      </div>
    </details>`;
  }
}

customElements.define('cairn-runs-table', RunsTable);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-runs-table': RunsTable;
  }
}
