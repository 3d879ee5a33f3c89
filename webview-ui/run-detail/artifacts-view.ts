import { LitElement, css, html, nothing } from 'lit';
import type { FileInfo } from '../../backend/api/mlflow';
import type { Host } from '../protocol/host';
import { baseStyles } from '../shared/theme';
import { parseCsvPreview } from './csv-preview';

const PREVIEW_BYTES = 512 * 1024;
const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp' };

/** A run's artifacts as a lazily expanded tree; clicking a file previews it. */
export class ArtifactsView extends LitElement {
  static override properties = {
    host: { attribute: false },
    runId: { type: String },
    entries: { state: true },
    open: { state: true },
    selected: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(220px, 1fr) 3fr;
        gap: 12px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding-left: 14px;
      }
      li > button {
        text-align: left;
      }
      .size {
        margin-left: 6px;
      }
    `,
  ];

  declare host: Host;
  declare runId: string;
  private declare entries: Map<string, FileInfo[]>;
  private declare open: Set<string>;
  private declare selected: string | undefined;

  constructor() {
    super();
    this.entries = new Map();
    this.open = new Set(['']);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadDir('');
  }

  refresh(): void {
    this.entries = new Map();
    for (const dir of this.open) void this.loadDir(dir);
  }

  private async loadDir(dir: string): Promise<void> {
    const files = await this.host.listArtifacts(this.runId, dir).catch(() => []);
    const next = new Map(this.entries);
    next.set(dir, [...files].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path)));
    this.entries = next;
  }

  private toggle(dir: string): void {
    const next = new Set(this.open);
    if (next.has(dir)) next.delete(dir);
    else {
      next.add(dir);
      if (!this.entries.has(dir)) void this.loadDir(dir);
    }
    this.open = next;
  }

  override render() {
    return html`<div class="tree" role="tree">${this.renderDir('')}</div>
      <div>${this.selected ? html`<cairn-artifact-preview .host=${this.host} .runId=${this.runId} .path=${this.selected}></cairn-artifact-preview>` : html`<p class="muted">Select a file to preview it.</p>`}</div>`;
  }

  private renderDir(dir: string): unknown {
    const files = this.entries.get(dir);
    if (!files) return html`<p class="muted">loading…</p>`;
    if (files.length === 0 && dir === '') return html`<p class="muted">No artifacts.</p>`;
    return html`<ul>
      ${files.map((f) => {
        const name = f.path.split('/').pop() ?? f.path;
        if (f.is_dir) return html`<li role="treeitem" aria-expanded=${this.open.has(f.path)}><button class="link" @click=${() => this.toggle(f.path)}>${this.open.has(f.path) ? '▾' : '▸'} ${name}/</button>${this.open.has(f.path) ? this.renderDir(f.path) : nothing}</li>`;
        return html`<li role="treeitem"><button class="link artifact" data-path=${f.path} @click=${() => (this.selected = f.path)}>${name}</button><span class="muted size">${formatBytes(f.file_size)}</span></li>`;
      })}
    </ul>`;
  }
}

/** Previews one artifact: images as images (blob: URLs), CSV as a table, anything else as text. */
export class ArtifactPreview extends LitElement {
  static override properties = {
    host: { attribute: false },
    runId: { type: String },
    path: { type: String },
    content: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      pre {
        white-space: pre-wrap;
        overflow: auto;
        max-height: 70vh;
        font-family: var(--vscode-editor-font-family, monospace);
        font-size: 12px;
        background: var(--vscode-textCodeBlock-background, rgba(128, 128, 128, 0.1));
        padding: 8px;
      }
      img {
        max-width: 100%;
      }
      .csv {
        overflow: auto;
        max-height: 70vh;
      }
      .csv table {
        border-collapse: collapse;
        font-size: 12px;
      }
      .csv td,
      .csv th {
        border: 1px solid var(--vscode-panel-border, #444);
        padding: 2px 6px;
        white-space: nowrap;
      }
    `,
  ];

  declare host: Host;
  declare runId: string;
  declare path: string;
  private declare content: { kind: 'text' | 'csv' | 'image' | 'missing'; text?: string; url?: string; truncated?: boolean } | undefined;
  private objectUrl: string | undefined;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('path') || changed.has('runId')) void this.load();
  }

  private async load(): Promise<void> {
    this.content = undefined;
    const res = await this.host.readArtifact(this.runId, this.path, PREVIEW_BYTES).catch(() => null);
    if (!res) {
      this.content = { kind: 'missing' };
      return;
    }
    const bytes = Uint8Array.from(atob(res.base64), (c) => c.charCodeAt(0));
    const ext = this.path.split('.').pop()?.toLowerCase() ?? '';
    if (IMAGE_TYPES[ext] && !res.truncated) {
      if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
      this.objectUrl = URL.createObjectURL(new Blob([bytes], { type: IMAGE_TYPES[ext] }));
      this.content = { kind: 'image', url: this.objectUrl };
      return;
    }
    const text = new TextDecoder().decode(bytes);
    this.content = { kind: ext === 'csv' || ext === 'tsv' ? 'csv' : 'text', text, truncated: res.truncated };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
  }

  override render() {
    const c = this.content;
    if (!c) return html`<p class="muted">loading ${this.path}…</p>`;
    if (c.kind === 'missing') return html`<p class="muted">${this.path} was not recorded.</p>`;
    if (c.kind === 'image') return html`<img src=${c.url!} alt=${this.path} />`;
    const note = c.truncated ? html`<p class="muted">Showing the first ${formatBytes(PREVIEW_BYTES)}.</p>` : nothing;
    if (c.kind === 'csv') {
      const { header, rows, more } = parseCsvPreview(c.text!, this.path.endsWith('.tsv') ? '\t' : ',', 200);
      return html`${note}
        <div class="csv">
          <table>
            <tr>
              ${header.map((h) => html`<th>${h}</th>`)}
            </tr>
            ${rows.map((r) => html`<tr>${r.map((v) => html`<td>${v}</td>`)}</tr>`)}
          </table>
        </div>
        ${more ? html`<p class="muted">First ${rows.length} rows.</p>` : nothing}`;
    }
    return html`${note}<pre class="artifact-text">${c.text}</pre>`;
  }
}

function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

customElements.define('cairn-artifacts', ArtifactsView);
customElements.define('cairn-artifact-preview', ArtifactPreview);

declare global {
  interface HTMLElementTagNameMap {
    'cairn-artifacts': ArtifactsView;
    'cairn-artifact-preview': ArtifactPreview;
  }
}
