import { RUN_TAGS } from '../../../backend/api/run-record';
import { tagCommand } from './set-tag-command';

export const unstarRun = tagCommand('cairn.run.unstar', { multi: true, title: 'Cairn: Unstar Runs', ask: () => [{ key: RUN_TAGS.starred, value: 'false' }] });
