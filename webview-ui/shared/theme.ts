import { css } from 'lit';

/** Shared styles: colours from `--vscode-*` tokens only (the dashboard defines fallbacks for them). */
export const baseStyles = css`
  :host {
    color: var(--vscode-foreground);
    font-family: var(--vscode-font-family);
    font-size: var(--vscode-font-size, 13px);
  }
  .muted {
    color: var(--vscode-descriptionForeground);
  }
  .error {
    color: var(--vscode-errorForeground);
  }
  .toolbar {
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
    padding: 6px 0;
  }
  .status {
    display: inline-block;
    padding: 0 6px;
    border-radius: 8px;
    font-size: 11px;
    border: 1px solid var(--vscode-panel-border, #444);
  }
  .status.RUNNING {
    color: var(--vscode-charts-blue);
  }
  .status.FINISHED {
    color: var(--vscode-testing-iconPassed, var(--vscode-charts-green));
  }
  .status.FAILED {
    color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground));
  }
  .status.KILLED {
    color: var(--vscode-descriptionForeground);
  }
  table.kv {
    border-collapse: collapse;
    width: 100%;
  }
  table.kv td,
  table.kv th {
    text-align: left;
    padding: 3px 8px;
    border-bottom: 1px solid var(--vscode-panel-border, #333);
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  table.kv th {
    color: var(--vscode-descriptionForeground);
    font-weight: normal;
    width: 30%;
  }
  button.link {
    background: none;
    border: none;
    color: var(--vscode-textLink-foreground);
    cursor: pointer;
    padding: 0;
    font: inherit;
  }
  button.link:focus-visible {
    outline: 1px solid var(--vscode-focusBorder);
  }
`;

/** A stable colour per series index, from the theme's chart palette. */
export const CHART_COLORS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700', '#4ec9b0', '#c586c0', '#9cdcfe', '#ce9178'];

export function chartColor(i: number, el: Element = document.documentElement): string {
  if (i < CHART_COLORS.length) {
    const v = getComputedStyle(el).getPropertyValue(CHART_COLORS[i]!).trim();
    if (v) return v;
  }
  // Beyond the palette: rotate hues so any number of runs stays distinguishable.
  return i < FALLBACK.length ? FALLBACK[i]! : `hsl(${(i * 137.5) % 360} 65% 60%)`;
}
