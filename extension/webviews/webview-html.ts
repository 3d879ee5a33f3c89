/**
 * The HTML of a webview panel: strict CSP with a per-load nonce (no unsafe-eval, no inline
 * handlers), the bundle and styles from the extension's dist/webview folder, and the panel's
 * initial state as inert JSON. Pure, so its CSP is unit-tested.
 */
import { INIT_ELEMENT_ID, type PanelInit } from '../../webview-ui/protocol/panels';

export interface WebviewAssets {
  /** `webview.cspSource`. */
  cspSource: string;
  scriptUri: string;
  styleUris: string[];
}

export function newNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  const rnd = globalThis.crypto.getRandomValues(new Uint8Array(32));
  for (const b of rnd) s += chars[b % chars.length];
  return s;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} blob: data:`,
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function panelHtml(init: PanelInit, assets: WebviewAssets, nonce = newNonce()): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(assets.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${assets.styleUris.map((u) => `<link rel="stylesheet" href="${u}" nonce="${nonce}">`).join('\n')}
<title>Cairn</title>
</head>
<body>
<cairn-app></cairn-app>
<script type="application/json" id="${INIT_ELEMENT_ID}">${inertJson(init)}</script>
<script type="module" nonce="${nonce}" src="${assets.scriptUri}"></script>
</body>
</html>`;
}
