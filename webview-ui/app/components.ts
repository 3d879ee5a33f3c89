/** Registers every Cairn element and the @vscode-elements ones the panels use (imported one by one: small bundles). */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../compare/compare-view';
import '../drift-report/drift-report';
import '../run-detail/run-detail';
import '../runs-table/runs-table';
import '../dataset-diff/dataset-diff-view';
import '../model-card/model-card';
