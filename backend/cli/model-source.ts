import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelSignature } from '../api/registry';
import { downloadModel, resolveVersion } from '../client/model-download';
import { signatureOfTag } from '../registry/signature';
import { connect } from './backend-connection';

/**
 * A model for `cairn predict` / `cairn export`: a local model folder, or a registered version
 * (NAME@ALIAS, NAME/VERSION) downloaded into a temp folder that `cleanup` removes.
 */
export async function localModel(ref: string): Promise<{ dir: string; label: string; signature?: Partial<ModelSignature>; cleanup(): void }> {
  if (fs.existsSync(ref) && fs.statSync(ref).isDirectory()) return { dir: path.resolve(ref), label: ref, cleanup: () => {} };
  const sc = await connect();
  const mv = await resolveVersion(sc, ref);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-model-'));
  try {
    await downloadModel(sc, mv, dir);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, label: `${mv.name}/${mv.version}`, signature: signatureOfTag(mv.tags), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
