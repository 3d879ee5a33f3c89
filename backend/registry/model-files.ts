import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ModelVersion } from '../api/mlflow';
import { artifactPathOf, safeArtifactPath } from '../artifacts/artifact-paths';
import { invalidParam, notFound } from '../core/errors';
import type { MetadataStore } from '../store/metadata-store';
import type { ObjectStore } from '../store/object-store';
import { modelIdOfSource } from './model-ref';

export interface ModelFile {
  /** Relative to the model folder. */
  path: string;
  hash: string;
  size: number;
}

/** The artifact path (`0/<run>/artifacts/model`) a version's `source` points at. */
export async function modelArtifactRoot(meta: MetadataStore, mv: Pick<ModelVersion, 'source' | 'model_id'>): Promise<string> {
  const modelId = mv.model_id || modelIdOfSource(mv.source);
  if (modelId) return artifactPathOf((await meta.getLoggedModel(modelId)).info.artifact_uri);
  const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(mv.source);
  if (runs) {
    const run = await meta.getRun(runs[1]!);
    return artifactPathOf(`${run.info.artifact_uri.replace(/\/+$/, '')}/${safeArtifactPath(runs[2] ?? '', 'source')}`);
  }
  if (mv.source.startsWith('mlflow-artifacts:')) return artifactPathOf(mv.source);
  throw invalidParam(`Cannot serve model source '${mv.source}': Cairn serves models stored in its artifact store (mlflow-artifacts:/…, runs:/…, models:/m-…).`);
}

/** Every file under an artifact directory, recursively, with its object hash. */
export async function listModelFiles(meta: MetadataStore, root: string): Promise<ModelFile[]> {
  const out: ModelFile[] = [];
  const walk = async (rel: string) => {
    const dir = rel ? `${root}/${rel}` : root;
    for (const f of await meta.listArtifacts(dir)) {
      const childRel = rel ? `${rel}/${f.path}` : f.path;
      if (f.is_dir) await walk(childRel);
      else {
        const entry = await meta.getArtifact(`${root}/${childRel}`);
        if (entry) out.push({ path: childRel, hash: entry.hash, size: entry.size });
      }
    }
  };
  await walk('');
  if (out.length === 0) {
    const single = await meta.getArtifact(root);
    if (single) return [{ path: path.posix.basename(root), hash: single.hash, size: single.size }];
    throw notFound(`The model folder '${root}' has no files in the artifact store.`);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Puts the model's files into `<cacheRoot>/<digest>/` (digest of paths and hashes), once: a folder
 * is written beside and renamed, so a present folder is complete.
 */
export async function materializeModel(objects: ObjectStore, files: ModelFile[], cacheRoot: string): Promise<string> {
  const digest = createHash('sha256').update(files.map((f) => `${f.path}\0${f.hash}`).join('\n')).digest('hex').slice(0, 32);
  const dest = path.join(cacheRoot, digest);
  if (fs.existsSync(dest)) return dest;
  const tmp = path.join(cacheRoot, `.tmp-${digest}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(tmp, { recursive: true });
  const pathOf = (objects as { pathOf?: (h: string) => string }).pathOf?.bind(objects);
  for (const f of files) {
    const target = path.join(tmp, ...safeArtifactPath(f.path).split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // A copy (a reflink where the filesystem can), never a hard link: a model process writing into
    // its folder must not be able to change an object of the content-addressed store.
    if (pathOf) fs.copyFileSync(pathOf(f.hash), target, fs.constants.COPYFILE_FICLONE);
    else await pipeline(await objects.get(f.hash), fs.createWriteStream(target));
  }
  try {
    fs.renameSync(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(dest)) throw err;
  }
  return dest;
}

/** Resolves, lists and materializes a version's model folder. */
export async function modelFolderOf(meta: MetadataStore, objects: ObjectStore, mv: ModelVersion, cacheRoot: string): Promise<{ dir: string; files: ModelFile[]; root: string }> {
  const root = await modelArtifactRoot(meta, mv);
  const files = await listModelFiles(meta, root);
  return { dir: await materializeModel(objects, files, cacheRoot), files, root };
}
