/** Entry of the VS Code webview bundle: reads the panel's initial state from the HTML and renders it. */
import { render } from 'lit';
import '../app/components';
import { panelTemplate } from '../app/panel-root';
import { createVsCodeHost } from '../hosts/vscode-host';
import { INIT_ELEMENT_ID, type PanelInit } from '../protocol/panels';

const init = JSON.parse(document.getElementById(INIT_ELEMENT_ID)!.textContent!) as PanelInit;
const host = createVsCodeHost();
const root = document.querySelector('cairn-app') ?? document.body;
render(panelTemplate(host, init), root as HTMLElement);
