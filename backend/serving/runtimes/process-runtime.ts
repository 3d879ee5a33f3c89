import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { ModelSignature } from '../../api/registry';
import type { Tensor } from '../tensor';
import { insideFolder, readProcessSpec, readSignatureFile, sklearnPickle } from './model-folder';
import { ModelInputError, RuntimeCrashed, type ModelRuntime, type RuntimeKind } from './model-runtime';

/**
 * The JSON-lines protocol of a model process (one JSON object per line):
 *   process → `{"ready": true, "signature": {inputs, outputs, columns?, labels?}}` once loaded;
 *   backend → `{"id": 7, "inputs": [{name, datatype, shape, data}]}` (a whole batch);
 *   process → `{"id": 7, "outputs": [{name, datatype, shape, data}]}`, or `{"id": 7, "error": "…", "input_error": true}`.
 */
export interface ProcessReady {
  ready: true;
  signature?: Partial<ModelSignature>;
}

type Pending = { resolve: (t: Tensor[]) => void; reject: (e: Error) => void };

const READY_TIMEOUT_MS = 60_000;

export class ProcessRuntime implements ModelRuntime {
  private readonly pending = new Map<number, Pending>();
  private readonly exitListeners: ((err: Error) => void)[] = [];
  private nextId = 1;
  private closing = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly kind: RuntimeKind,
    readonly signature: ModelSignature,
    private readonly stderrTail: () => string,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** A folder with `cairn-model.yaml`. */
  static load(dir: string): Promise<ProcessRuntime> {
    const spec = readProcessSpec(dir);
    const [program, ...args] = spec.command;
    const resolved = program!.startsWith('.') || program!.includes('/') ? insideOrAbsolute(dir, program!) : program!;
    return ProcessRuntime.start(dir, 'process', resolved, args, spec.env ?? {}, spec.signature);
  }

  /** A scikit-learn pickle, served by `sdk/python/cairn_serving/sklearn_predictor.py`. */
  static loadSklearn(dir: string): Promise<ProcessRuntime> {
    const pickle = sklearnPickle(dir);
    if (!pickle) throw new Error(`no scikit-learn pickle in ${dir}`);
    return ProcessRuntime.start(dir, 'sklearn', pythonExecutable(), [sklearnPredictorScript(), pickle], {}, undefined);
  }

  private static start(dir: string, kind: RuntimeKind, program: string, args: string[], env: Record<string, string>, declared: Partial<ModelSignature> | undefined): Promise<ProcessRuntime> {
    const child = spawn(program, args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1', ...env } });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    // Writing to a process that just died fails with EPIPE on the stream: without a listener that
    // error would crash the backend. The 'exit' handler below fails the pending requests instead.
    child.stdin!.on('error', () => {});
    child.stdout!.on('error', () => {});
    child.stderr!.on('error', () => {});
    const tail = () => stderr.trim().split('\n').slice(-8).join('\n');
    const lines = readline.createInterface({ input: child.stdout!, crlfDelay: Infinity });
    return new Promise((resolve, reject) => {
      let rt: ProcessRuntime | undefined;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`model process '${program}' did not announce {"ready": true} within ${READY_TIMEOUT_MS / 1000} s${tail() ? `:\n${tail()}` : ''}`));
      }, READY_TIMEOUT_MS);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot start model process '${program}': ${err.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const why = `model process '${path.basename(program)}' exited (${signal ?? `code ${code}`})${tail() ? `: ${tail()}` : ''}`;
        if (rt) rt.die(new RuntimeCrashed(why));
        else reject(new Error(why));
      });
      lines.on('line', (line) => {
        if (line.trim() === '') return;
        let msg: { ready?: boolean; signature?: Partial<ModelSignature>; id?: number; outputs?: Tensor[]; error?: string; input_error?: boolean };
        try {
          msg = JSON.parse(line);
        } catch {
          stderr = (stderr + `[stdout, not JSON] ${line}\n`).slice(-4000);
          return;
        }
        if (!rt) {
          if (msg.ready) {
            clearTimeout(timer);
            rt = new ProcessRuntime(child, kind, mergeSignature(readSignatureFile(dir), declared, msg.signature), tail);
            resolve(rt);
          }
          return;
        }
        rt.onReply(msg);
      });
    });
  }

  predict(inputs: Tensor[]): Promise<Tensor[]> {
    if (this.closing) return Promise.reject(new RuntimeCrashed('the model process is shutting down'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(JSON.stringify({ id, inputs }) + '\n', (err) => {
        if (err && this.pending.delete(id)) reject(new RuntimeCrashed(`cannot write to the model process: ${err.message}`));
      });
    });
  }

  onExit(listener: (err: Error) => void): void {
    this.exitListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.closing = true;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private onReply(msg: { id?: number; outputs?: Tensor[]; error?: string; input_error?: boolean }): void {
    const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id!);
    if (msg.outputs) p.resolve(msg.outputs);
    else if (msg.input_error) p.reject(new ModelInputError(msg.error ?? 'the model refused the input'));
    else p.reject(new Error(msg.error ?? `the model process answered without outputs (${this.stderrTail()})`));
  }

  private die(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    const wasClosing = this.closing;
    this.closing = true;
    if (!wasClosing) for (const l of this.exitListeners.splice(0)) l(err);
  }
}

function mergeSignature(saved: ModelSignature | undefined, declared: Partial<ModelSignature> | undefined, announced: Partial<ModelSignature> | undefined): ModelSignature {
  const merged = { inputs: [], outputs: [], ...announced, ...declared, ...saved };
  return { ...merged, source: saved?.source ?? 'model' } as ModelSignature;
}

function insideOrAbsolute(dir: string, program: string): string {
  return path.isAbsolute(program) ? program : insideFolder(dir, program);
}

/** `$CAIRN_PYTHON`, else Debian's /usr/bin/python3 (where python3-sklearn installs), else `python3`. */
export function pythonExecutable(): string {
  if (process.env['CAIRN_PYTHON']) return process.env['CAIRN_PYTHON'];
  return fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** sdk/python/cairn_serving/sklearn_predictor.py, found above this file (sources) or the bundle (dist/). */
export function sklearnPredictorScript(): string {
  const rel = path.join('sdk', 'python', 'cairn_serving', 'sklearn_predictor.py');
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, rel);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${rel} above ${__dirname}`);
  }
}
