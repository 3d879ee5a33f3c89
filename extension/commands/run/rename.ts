import * as vscode from 'vscode';
import { RUN_TAGS } from '../../../backend/api/run-record';
import { runName } from '../../runs/run-presentation';
import { tagCommand, valueArg } from './set-tag-command';

export const renameRun = tagCommand('cairn.run.rename', {
  multi: false,
  title: 'Cairn: Rename Run',
  async ask(_s, [run], args) {
    const name = valueArg(args) ?? (await vscode.window.showInputBox({ title: 'Cairn: Rename Run', value: runName(run!), validateInput: (v) => (v.trim() ? undefined : 'A name is required') }));
    return name?.trim() ? [{ key: RUN_TAGS.runName, value: name.trim() }] : undefined;
  },
});
