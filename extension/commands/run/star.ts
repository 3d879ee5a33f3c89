import { RUN_TAGS } from '../../../backend/api/run-record';
import { tagCommand } from './set-tag-command';

export const starRun = tagCommand('cairn.run.star', { multi: true, title: 'Cairn: Star Runs', ask: () => [{ key: RUN_TAGS.starred, value: 'true' }] });
