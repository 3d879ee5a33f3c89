/**
 * Finds metrics in a training script's output, with no change to the script: `key=value`,
 * `key: value`, Python dict / JS object prints, one JSON object per line, and Keras / TF.js
 * progress lines (`Epoch 3/10` … `loss: 0.21 - acc: 0.93`).
 *
 * The step of a metric is the value of a `global_step` / `step` / `iteration` / `iter` / `epoch`
 * key on its line, else the last such value seen (an `Epoch 3/10` header counts), else the
 * metric's own line order (0, 1, 2 …).
 *
 * Built for throughput (hundreds of thousands of lines per second): one left-to-right scan per
 * line with lookup tables, no regular expressions, and lines without `=`, `:` or `{` rejected by
 * a native `indexOf` before any scanning.
 */

export type MetricSink = (key: string, value: number, step: number, timestamp: number) => void;

const MAX_LINE = 16 * 1024;
const MAX_PAIRS = 64;
const MAX_KEY = 250;

const enum Ch {
  Tab = 9,
  Space = 32,
  Quote = 34,
  Percent = 37,
  Apos = 39,
  RParen = 41,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Semi = 59,
  Eq = 61,
  E = 69,
  RBracket = 93,
  e = 101,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
}

/** 1: may appear in a key; 2: may also start one. */
const KEY_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) KEY_CHAR[c] = 2;
  else if (/[0-9./-]/.test(ch)) KEY_CHAR[c] = 1;
}
/** Characters that may follow a value: a value glued to anything else (`12:30`, `3/10`, `5ms`) is not a metric. */
const TERMINATOR = new Uint8Array(128);
for (const c of [Ch.Space, Ch.Tab, Ch.Comma, Ch.Semi, Ch.Pipe, Ch.RParen, Ch.RBracket, Ch.RBrace, Ch.Percent, Ch.Apos, Ch.Quote, 13]) TERMINATOR[c] = 1;

/** Step keys by priority: the highest one on a line wins. */
const STEP_PRIORITY: Record<string, number> = { global_step: 5, step: 4, iteration: 3, iter: 3, epoch: 2 };
/** Words that look like `key: number` but are not metrics (log levels, progress-bar noise). */
const NOT_METRICS = new Set(['INFO', 'WARNING', 'WARN', 'ERROR', 'DEBUG', 'CRITICAL', 'TRACE', 'FATAL', 'NOTE', 'eta', 'ETA', 'pid', 'PID', 'line', 'Line', 'port']);

function stepPriority(key: string): number {
  if (key.length > 11) return 0;
  const p = STEP_PRIORITY[key];
  if (p !== undefined) return p;
  const c = key.charCodeAt(0) | 0x20;
  return c === 0x65 || c === 0x73 || c === 0x69 || c === 0x67 ? (STEP_PRIORITY[key.toLowerCase()] ?? 0) : 0;
}

/** Keys the tracking server accepts: normalised relative paths (no `//`, `.`/`..` segments, trailing `/`). */
export function isAcceptableKey(key: string): boolean {
  if (key.length === 0 || key.length > MAX_KEY) return false;
  const last = key.charCodeAt(key.length - 1);
  if (last === Ch.Slash) return false;
  if (key.indexOf('/') < 0) return true;
  for (const seg of key.split('/')) if (seg === '' || seg === '.' || seg === '..') return false;
  return true;
}

/** Index after a number starting at `i` (sign, digits, fraction, exponent, or nan/inf), or -1. */
function scanNumber(s: string, i: number, len: number): number {
  let j = i;
  let c = s.charCodeAt(j);
  if (c === Ch.Minus || c === Ch.Plus) c = s.charCodeAt(++j);
  const digitsStart = j;
  while (c >= Ch.Zero && c <= Ch.Nine) c = s.charCodeAt(++j);
  let digits = j - digitsStart;
  if (c === Ch.Dot) {
    c = s.charCodeAt(++j);
    const f = j;
    while (c >= Ch.Zero && c <= Ch.Nine) c = s.charCodeAt(++j);
    digits += j - f;
  }
  if (digits === 0) return scanWord(s, j, len);
  if ((c === Ch.e || c === Ch.E) && j + 1 < len) {
    let k = j + 1;
    let d = s.charCodeAt(k);
    if (d === Ch.Minus || d === Ch.Plus) d = s.charCodeAt(++k);
    const expStart = k;
    while (d >= Ch.Zero && d <= Ch.Nine) d = s.charCodeAt(++k);
    if (k > expStart) j = k;
  }
  return j;
}

/** `nan`, `inf`, `infinity` in any case, at `j` (after an optional sign). */
function scanWord(s: string, j: number, len: number): number {
  const c = s.charCodeAt(j) | 0x20;
  if (c === 0x6e && j + 3 <= len && s.slice(j, j + 3).toLowerCase() === 'nan') return j + 3;
  if (c === 0x69 && j + 3 <= len) {
    if (j + 8 <= len && s.slice(j, j + 8).toLowerCase() === 'infinity') return j + 8;
    if (s.slice(j, j + 3).toLowerCase() === 'inf') return j + 3;
  }
  return -1;
}

function toNumber(text: string): number {
  const n = Number(text);
  if (!Number.isNaN(n)) return n;
  const t = text.toLowerCase();
  if (t.endsWith('nan')) return NaN;
  return t.startsWith('-') ? -Infinity : Infinity;
}

export class MetricLineParser {
  private readonly partials: string[] = [];
  private contextStep: number | undefined;
  private readonly lineOrder = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly values: number[] = [];
  private pairs = 0;
  /** Lines seen (complete lines, including those without metrics). */
  lines = 0;

  constructor(private readonly sink: MetricSink) {}

  /**
   * Feeds decoded output; complete lines are parsed now, a trailing partial line waits for the
   * rest. Streams (stdout, stderr) keep their partial lines apart but share steps and line order.
   */
  push(text: string, timestamp: number, stream = 0): void {
    let partial = this.partials[stream] ?? '';
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl < 0) {
      partial += text;
      this.partials[stream] = partial.length > MAX_LINE * 4 ? partial.slice(-MAX_LINE) : partial;
      return;
    }
    if (partial !== '') {
      this.line(partial + text.slice(0, nl), timestamp);
      partial = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      this.line(text.slice(start, nl), timestamp);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.partials[stream] = start < text.length ? text.slice(start) : '';
  }

  /** Parses what is left of unterminated last lines. */
  end(timestamp: number): void {
    for (const p of this.partials) if (p) this.line(p, timestamp);
    this.partials.length = 0;
  }

  /** Parses one complete line (without its newline). */
  line(raw: string, timestamp: number): void {
    this.lines++;
    let line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    // Progress bars redraw with \r (and Keras with \b): only the last drawing counts.
    if (line.indexOf('\r') >= 0 || line.indexOf('\b') >= 0) line = line.slice(Math.max(line.lastIndexOf('\r'), line.lastIndexOf('\b')) + 1);
    const len = line.length;
    if (len < 3 || len > MAX_LINE) return;
    let p = 0;
    while (p < len && (line.charCodeAt(p) === Ch.Space || line.charCodeAt(p) === Ch.Tab)) p++;
    const first = line.charCodeAt(p);
    if (first === Ch.LBrace && this.json(line, p, timestamp)) return;
    if ((first === Ch.E || first === Ch.e) && line.startsWith('poch', p + 1)) p = this.epochHeader(line, p + 5, len);
    if (line.indexOf('=', p) < 0 && line.indexOf(':', p) < 0) return;
    this.pairs = 0;
    this.scanPairs(line, p, len);
    if (this.pairs > 0) this.emit(timestamp);
  }

  /** `Epoch 3/10`, `Epoch 3 / 10`, `Epoch 3`: sets the step for what follows. Returns where to continue. */
  private epochHeader(line: string, i: number, len: number): number {
    let j = i;
    while (j < len && line.charCodeAt(j) === Ch.Space) j++;
    const start = j;
    while (j < len && line.charCodeAt(j) >= Ch.Zero && line.charCodeAt(j) <= Ch.Nine) j++;
    if (j === start || j === i) return i - 5;
    this.contextStep = Number(line.slice(start, j));
    return j;
  }

  private scanPairs(line: string, from: number, len: number): void {
    for (let i = from; i < len && this.pairs < MAX_PAIRS; i++) {
      const c = line.charCodeAt(i);
      if (c !== Ch.Eq && c !== Ch.Colon) continue;
      let ke = i;
      while (ke > from && line.charCodeAt(ke - 1) === Ch.Space) ke--;
      const q = line.charCodeAt(ke - 1);
      const quoted = q === Ch.Apos || q === Ch.Quote;
      if (quoted) ke--;
      let ks = ke;
      while (ks > from) {
        const k = line.charCodeAt(ks - 1);
        if (k >= 128 || KEY_CHAR[k] === 0) break;
        ks--;
      }
      if (quoted && line.charCodeAt(ks - 1) !== q) continue;
      while (ks < ke && KEY_CHAR[line.charCodeAt(ks)] !== 2) {
        const k = line.charCodeAt(ks);
        if (k !== Ch.Minus && k !== Ch.Dot && k !== Ch.Slash) break;
        ks++;
      }
      if (ks === ke || KEY_CHAR[line.charCodeAt(ks)] !== 2) continue;
      let v = i + 1;
      while (v < len && line.charCodeAt(v) === Ch.Space) v++;
      if (v >= len) return;
      const e = scanNumber(line, v, len);
      if (e < 0) continue;
      if (e < len) {
        const t = line.charCodeAt(e);
        if (t >= 128 || TERMINATOR[t] === 0) continue;
      }
      const key = line.slice(ks, ke);
      if (NOT_METRICS.has(key) || !isAcceptableKey(key)) continue;
      this.keys[this.pairs] = key;
      this.values[this.pairs] = toNumber(line.slice(v, e));
      this.pairs++;
      i = e;
    }
  }

  private json(line: string, p: number, timestamp: number): boolean {
    let end = line.length;
    while (end > p && line.charCodeAt(end - 1) <= Ch.Space) end--;
    if (line.charCodeAt(end - 1) !== Ch.RBrace) return false;
    let obj: unknown;
    try {
      obj = JSON.parse(p === 0 && end === line.length ? line : line.slice(p, end));
    } catch {
      return false;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return false;
    this.pairs = 0;
    this.collect(obj as Record<string, unknown>, '', 0);
    if (this.pairs > 0) this.emit(timestamp);
    return true;
  }

  private collect(obj: Record<string, unknown>, prefix: string, depth: number): void {
    for (const k in obj) {
      if (this.pairs >= MAX_PAIRS) return;
      const v = obj[k];
      const key = prefix + k;
      if (typeof v === 'number') {
        if (isAcceptableKey(key) && KEY_CHAR[key.charCodeAt(0)] === 2) {
          this.keys[this.pairs] = key;
          this.values[this.pairs] = v;
          this.pairs++;
        }
      } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && depth < 2) {
        this.collect(v as Record<string, unknown>, `${key}/`, depth + 1);
      }
    }
  }

  private emit(timestamp: number): void {
    let best = 0;
    let stepIndex = -1;
    for (let i = 0; i < this.pairs; i++) {
      const pr = stepPriority(this.keys[i]!);
      if (pr > best) {
        best = pr;
        stepIndex = i;
      }
    }
    if (stepIndex >= 0) {
      const s = this.values[stepIndex]!;
      if (Number.isFinite(s)) this.contextStep = Math.floor(s);
    }
    for (let i = 0; i < this.pairs; i++) {
      const key = this.keys[i]!;
      if (stepPriority(key) > 0) continue;
      let step = this.contextStep;
      if (step === undefined) {
        step = this.lineOrder.get(key) ?? 0;
        this.lineOrder.set(key, step + 1);
      }
      this.sink(key, this.values[i]!, step, timestamp);
    }
  }
}
