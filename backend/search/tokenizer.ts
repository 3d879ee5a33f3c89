import { invalidParam } from '../core/errors';

export type Token =
  | { kind: 'ident'; text: string; quoted: boolean }
  | { kind: 'string'; text: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'op'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ',' };

const OPS = ['>=', '<=', '!=', '<>', '==', '=', '>', '<'];
const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[\w\-/:.]/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;

/**
 * Splits a search filter into tokens. Quoted strings take single or double quotes; backticks quote
 * identifiers (double-quoted strings after `type.` are identifiers too, as in `tags."mlflow.user"`).
 * An unquoted identifier keeps its dots: `metrics.train.loss` is one token, split by the parser.
 */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = findClosingQuote(input, i);
      const text = input.slice(i + 1, end).replace(new RegExp(`${c}${c}`, 'g'), c).replace(/\\(.)/g, '$1');
      const prev = out[out.length - 1];
      const afterDot = prev?.kind === 'ident' && !prev.quoted && prev.text.endsWith('.');
      out.push(c === '`' || (c === '"' && afterDot) ? { kind: 'ident', text, quoted: true } : { kind: 'string', text });
      i = end + 1;
      continue;
    }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op === '==' ? '=' : op === '<>' ? '!=' : op });
      i += op.length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'punct', text: c });
      i++;
      continue;
    }
    const num = NUMBER.exec(input.slice(i));
    if (num && (/[\d.+-]/.test(c) && !IDENT_START.test(c))) {
      out.push({ kind: 'number', value: Number(num[0]), text: num[0] });
      i += num[0].length;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < input.length && IDENT_CHAR.test(input[j]!)) j++;
      out.push({ kind: 'ident', text: input.slice(i, j), quoted: false });
      i = j;
      continue;
    }
    throw invalidParam(`Invalid filter '${input}': unexpected character '${c}' at position ${i}.`);
  }
  return out;
}

function findClosingQuote(input: string, start: number): number {
  const q = input[start];
  for (let j = start + 1; j < input.length; j++) {
    if (input[j] === '\\') {
      j++;
      continue;
    }
    if (input[j] === q) {
      if (input[j + 1] === q) {
        j++;
        continue;
      }
      return j;
    }
  }
  throw invalidParam(`Invalid filter '${input}': unterminated quoted string starting at position ${start}.`);
}
