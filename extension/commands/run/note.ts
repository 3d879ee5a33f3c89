import * as vscode from 'vscode';
import { RUN_TAGS } from '../../../backend/api/run-record';
import { tagOf } from '../../runs/run-presentation';
import { tagCommand, valueArg } from './set-tag-command';

export const noteRun = tagCommand('cairn.run.note', {
  multi: false,
  title: 'Cairn: Add Note to Run',
  async ask(_s, [run], args) {
    const note = valueArg(args) ?? (await vscode.window.showInputBox({ title: 'Cairn: Note', prompt: 'A note about this run (stored as mlflow.note.content)', value: tagOf(run!, RUN_TAGS.note) ?? '' }));
    return note === undefined ? undefined : [{ key: RUN_TAGS.note, value: note }];
  },
});
