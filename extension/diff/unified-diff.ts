/**
 * Parses `git diff` output into per-file patches and applies them to a file's text: how a run's
 * recorded uncommitted diff (`cairn/code.diff`) is laid over its commit. Pure.
 */

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

export interface FilePatch {
  oldPath: string | undefined;
  newPath: string | undefined;
  binary: boolean;
  hunks: Hunk[];
}

const unquote = (p: string) => (p.startsWith('"') ? (JSON.parse(p) as string) : p);
const strip = (p: string): string | undefined => (p === '/dev/null' ? undefined : unquote(p).replace(/^[ab]\//, ''));

export function parseUnifiedDiff(text: string): FilePatch[] {
  const files: FilePatch[] = [];
  let cur: FilePatch | undefined;
  let hunk: Hunk | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('diff --git ')) {
      const m = /^diff --git (\S+|"[^"]+") (\S+|"[^"]+")$/.exec(line);
      cur = { oldPath: m ? strip(m[1]!) : undefined, newPath: m ? strip(m[2]!) : undefined, binary: false, hunks: [] };
      files.push(cur);
      hunk = undefined;
    } else if (!cur) continue;
    else if (line.startsWith('--- ') && !hunk) cur.oldPath = strip(line.slice(4).replace(/\t.*$/, ''));
    else if (line.startsWith('+++ ') && !hunk) cur.newPath = strip(line.slice(4).replace(/\t.*$/, ''));
    else if (line.startsWith('new file mode')) cur.oldPath = undefined;
    else if (line.startsWith('deleted file mode')) cur.newPath = undefined;
    else if (line.startsWith('Binary files') || line.startsWith('GIT binary patch')) cur.binary = true;
    else if (line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      hunk = { oldStart: Number(m[1]), oldLines: m[2] === undefined ? 1 : Number(m[2]), newStart: Number(m[3]), newLines: m[4] === undefined ? 1 : Number(m[4]), lines: [] };
      cur.hunks.push(hunk);
    } else if (hunk && (line.startsWith(' ') || line.startsWith('+') || line.startsWith('-') || line.startsWith('\\'))) hunk.lines.push(line);
    else if (hunk && line === '' && i < lines.length - 1) hunk.lines.push(' ');
  }
  return files;
}

/** Applies a file's hunks to its old text; throws when the context does not match. */
export function applyPatch(oldText: string | undefined, patch: FilePatch): string | undefined {
  if (patch.newPath === undefined) return undefined;
  const src = oldText === undefined || oldText === '' ? [] : oldText.split('\n');
  const hadFinalNewline = oldText?.endsWith('\n') ?? true;
  if (hadFinalNewline && src.length) src.pop();
  const out: string[] = [];
  let pos = 0;
  let noNewlineAtEnd = false;
  for (const h of patch.hunks) {
    const start = Math.max(0, h.oldStart - (h.oldLines === 0 ? 0 : 1));
    if (start < pos) throw new Error(`overlapping hunks in ${patch.newPath}`);
    out.push(...src.slice(pos, start));
    pos = start;
    for (let i = 0; i < h.lines.length; i++) {
      const l = h.lines[i]!;
      const body = l.slice(1);
      if (l.startsWith('\\')) {
        if (h.lines[i - 1]?.startsWith('+') || (h.lines[i - 1]?.startsWith(' ') && i === h.lines.length - 1)) noNewlineAtEnd = true;
        continue;
      }
      if (l.startsWith('+')) out.push(body);
      else {
        if (src[pos] !== body) throw new Error(`patch does not apply to ${patch.newPath} at line ${pos + 1}`);
        if (l.startsWith(' ')) out.push(body);
        pos++;
      }
    }
  }
  out.push(...src.slice(pos));
  return out.join('\n') + (out.length && !noNewlineAtEnd ? '\n' : '');
}

/** The paths a patch set touches (new path, or old path for deletions). */
export function touchedPaths(patches: FilePatch[]): string[] {
  return patches.map((p) => (p.newPath ?? p.oldPath)!).filter(Boolean);
}
