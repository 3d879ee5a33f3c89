import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, inertJson, panelHtml } from '../../../extension/webviews/webview-html';

test('the webview CSP is strict: nonce scripts only, no unsafe-eval/inline, no network', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'N0NCE');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-N0NCE'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
  assert.match(csp, /connect-src 'none'/);
});

test('the initial state is inert JSON: a run name cannot close the script element', () => {
  const evil = '</script><img src=x onerror=alert(1)><!--';
  const html = panelHtml({ panel: 'run-detail', state: { runId: evil } }, { cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/a.js', styleUris: [] }, 'abc');
  assert.equal(html.split('</script>').length - 1, 2, 'only the two real script elements close');
  assert.ok(!html.includes('<img'));
  assert.equal(JSON.parse(inertJson({ s: evil })).s, evil);
  assert.match(html, /<script type="module" nonce="abc" src="vscode-resource:\/a.js">/);
  assert.doesNotMatch(html, /<[^>]*\son[a-z]+=/i, 'no inline handlers on any element');
});
