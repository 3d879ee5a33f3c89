/** Entry of the VS Code webview bundle: reads the panel's initial state from the HTML and renders it. */
import { render } from 'lit';
import '../app/components';
import { panelTemplate } from '../app/panel-root';
import { createVsCodeHost } from '../hosts/vscode-host';
import { INIT_ELEMENT_ID, INIT_STATE_KEY, type PanelInit } from '../protocol/panels';

const init = JSON.parse(document.getElementById(INIT_ELEMENT_ID)!.textContent!) as PanelInit;
const host = createVsCodeHost();
// Remembered so VS Code can restore this panel after a window reload.
host.setState(INIT_STATE_KEY, init);
const root = document.querySelector('cairn-app') ?? document.body;
render(panelTemplate(host, init), root as HTMLElement);
