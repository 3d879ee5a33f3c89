import type { CairnCommand } from '../command';
import { versionFromArgs } from '../model-args';

/** Opens a version's model card panel (lineage to its run, signature, metrics, params, files); returns the panel key. */
export const openModelCard: CairnCommand = {
  id: 'cairn.model.openCard',
  async run(s, ...args) {
    const ref = await versionFromArgs(s, args, 'Cairn: Open Model Card');
    if (!ref) return undefined;
    return s.panels.openModelCard(ref.name, ref.version);
  },
};
