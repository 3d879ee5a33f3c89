/**
 * Is this file a training script, and where does the "Track this run" lens go? Pure and cheap (a
 * few regexes over the text, no backend), so it runs on every visible editor.
 */

export type TrainingSignal = 'main-block' | 'fit-call' | 'ml-import' | 'track-glob';

export interface Detection {
  signals: TrainingSignal[];
  /** 0-based line where the lens goes: the `__main__` block, else the first ML import, else line 0. */
  line: number;
}

const PY_LIBS = ['torch', 'tensorflow', 'sklearn', 'xgboost', 'lightgbm', 'keras', 'jax'];
const PY_IMPORT = new RegExp(String.raw`^\s*(?:import\s+(?:${PY_LIBS.join('|')})\b|from\s+(?:${PY_LIBS.join('|')})(?:\.\w+)*\s+import\b)`);
const JS_IMPORT = /(?:\bfrom\s+['"]@tensorflow\/tfjs(?:-node|-node-gpu)?['"]|\brequire\(\s*['"]@tensorflow\/tfjs(?:-node|-node-gpu)?['"]\s*\)|\bimport\s+['"]@tensorflow\/tfjs)/;
const MAIN_BLOCK = /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/;
const FIT_CALL = /\.fit(?:_generator)?\s*\(/;

export type ScriptLanguage = 'python' | 'javascript' | 'typescript';

export function languageOfPath(file: string): ScriptLanguage | undefined {
  if (/\.pyw?$/i.test(file)) return 'python';
  if (/\.(?:m|c)?js$/i.test(file)) return 'javascript';
  if (/\.(?:m|c)?ts$/i.test(file)) return 'typescript';
  return undefined;
}

/** Detects a training script; `matchesGlob` is true when the file matches `cairn.trackGlobs`. */
export function detectTraining(text: string, language: ScriptLanguage, matchesGlob = false): Detection | undefined {
  const signals = new Set<TrainingSignal>();
  let mainLine = -1;
  let importLine = -1;
  const lines = text.split(/\r?\n/);
  let inBlockComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (language === 'python') {
      // Skip docstring-ish regions crudely: lines inside a triple-quoted block.
      const triples = (line.match(/"""|'''/g) ?? []).length;
      if (inBlockComment) {
        if (triples % 2 === 1) inBlockComment = false;
        continue;
      }
      if (triples % 2 === 1) inBlockComment = true;
      if (/^\s*#/.test(line)) continue;
      if (MAIN_BLOCK.test(line)) {
        signals.add('main-block');
        if (mainLine < 0) mainLine = i;
      }
      if (PY_IMPORT.test(line)) {
        signals.add('ml-import');
        if (importLine < 0) importLine = i;
      }
    } else {
      if (/^\s*\/\//.test(line)) continue;
      if (JS_IMPORT.test(line)) {
        signals.add('ml-import');
        if (importLine < 0) importLine = i;
      }
    }
    if (FIT_CALL.test(line)) signals.add('fit-call');
  }
  if (matchesGlob) signals.add('track-glob');
  if (signals.size === 0) return undefined;
  return { signals: [...signals], line: mainLine >= 0 ? mainLine : importLine >= 0 ? importLine : 0 };
}

/** The command `cairn run` executes for a script of that language. */
export function interpreterFor(language: ScriptLanguage, pythonCommand: string): string[] {
  if (language === 'python') return [pythonCommand];
  if (language === 'typescript') return ['npx', 'tsx'];
  return ['node'];
}
