import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataWorkspace } from './workspace';

/**
 * Makes git ignore tracked data: a `/<name>` line in the `.gitignore` of the data's folder (the
 * way DVC does it), so the rule moves with the folder and never hides same-named files elsewhere.
 * Also ignores the store itself at the workspace root.
 */
export function ensureIgnored(ws: DataWorkspace, dataRel: string): void {
  const parts = dataRel.split('/');
  const name = parts.pop()!;
  ensureLine(path.join(ws.root, ...parts, '.gitignore'), `/${escapeGlob(name)}`);
  ensureStoreIgnored(ws);
}

/** Keeps git away from the store (objects, stat cache, reproduce worktrees) when it is inside the workspace. */
export function ensureStoreIgnored(ws: DataWorkspace): void {
  if (path.dirname(ws.storeDir) === ws.root) ensureLine(path.join(ws.root, '.gitignore'), `/${path.basename(ws.storeDir)}/`);
}

function ensureLine(file: string, line: string): void {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // a new .gitignore
  }
  if (text.split(/\r?\n/).some((l) => l.trim() === line)) return;
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  fs.writeFileSync(file, `${text}${sep}${line}\n`);
}

/** gitignore patterns treat `*?[\!#` and leading/trailing spaces specially. */
const escapeGlob = (name: string) => name.replace(/[*?[\]\\!#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
