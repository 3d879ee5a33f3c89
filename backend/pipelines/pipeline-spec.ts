// cairn.yaml: stages (cmd, deps, params, outs, metrics), gates, promote, monitors, retrain.
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { CairnError } from '../core/errors';
import { parseCron } from './cron';

export interface StageSpec {
  name: string;
  cmd: string;
  deps: string[];
  /** Keys of params.yaml (dotted), or `file.yaml:key`. */
  params: string[];
  outs: string[];
  metrics: string[];
}

export type GateSpec =
  | { metric: string; op: '>=' | '>' | '<=' | '<' | '=='; value: number }
  | { compare: 'champion'; model: string; alias: string; metric: string; direction: 'higher' | 'lower'; min_delta: number };

export interface PromoteSpec {
  model: string;
  alias: string;
  /** A path (file or folder) logged as the version's artifact. */
  artifact: string;
}

export interface MonitorSpec {
  name: string;
  deployment: string;
  /** Reference data: a file in the workspace. */
  reference: string;
  window_ms: number;
  every_ms: number;
  drift_share: number;
  method?: string;
  actions: ('notify' | 'retrain')[];
}

export interface RetrainSpec {
  on_drift: boolean;
  /** Files whose change triggers a run (e.g. a dataset pointer). */
  on_data_change: string[];
  every_ms?: number;
  /** Five-field cron expression in UTC, e.g. `0 3 * * 1` (Mondays 03:00). */
  cron?: string;
}

export interface PipelineSpec {
  stages: StageSpec[];
  gates: GateSpec[];
  promote?: PromoteSpec;
  monitors: MonitorSpec[];
  retrain?: RetrainSpec;
}

const bad = (msg: string) => new CairnError('INVALID_PARAMETER_VALUE', `cairn.yaml: ${msg}`);

function strings(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x, i) => {
    if (typeof x !== 'string' || !x) throw bad(`${where}[${i}] must be a non-empty string`);
    return x;
  });
}

/** `30s`, `10m`, `6h`, `1d`, or a number of milliseconds. */
export function duration(v: unknown, where: string): number {
  if (typeof v === 'number' && v > 0) return v;
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(v.trim()) : null;
  if (!m) throw bad(`${where} must be a duration like 30s, 10m, 6h or 1d`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
}

function safePath(p: string, where: string): string {
  if (p.startsWith('/') || p.split(/[\\/]/).includes('..')) throw bad(`${where}: '${p}' must be a path inside the workspace`);
  return p.replace(/\/+$/, '');
}

export function parsePipeline(text: string): PipelineSpec {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw bad((err as Error).message);
  }
  if (!doc || typeof doc !== 'object') throw bad('expected a mapping with `stages:`');
  const d = doc as Record<string, unknown>;
  const rawStages = d['stages'];
  if (!rawStages || typeof rawStages !== 'object' || Array.isArray(rawStages)) throw bad('`stages:` must map stage names to {cmd, deps, params, outs, metrics}');
  const stages: StageSpec[] = Object.entries(rawStages as Record<string, unknown>).map(([name, s]) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw bad(`stage name '${name}' may only use letters, digits, '_', '.', '-'`);
    if (!s || typeof s !== 'object') throw bad(`stage '${name}' must be a mapping`);
    const st = s as Record<string, unknown>;
    if (typeof st['cmd'] !== 'string' || !st['cmd']) throw bad(`stage '${name}' needs a cmd`);
    for (const k of Object.keys(st)) if (!['cmd', 'deps', 'params', 'outs', 'metrics'].includes(k)) throw bad(`stage '${name}': unknown field '${k}'`);
    return {
      name,
      cmd: st['cmd'],
      deps: strings(st['deps'], `${name}.deps`).map((p) => safePath(p, `${name}.deps`)),
      params: strings(st['params'], `${name}.params`),
      outs: strings(st['outs'], `${name}.outs`).map((p) => safePath(p, `${name}.outs`)),
      metrics: strings(st['metrics'], `${name}.metrics`).map((p) => safePath(p, `${name}.metrics`)),
    };
  });
  if (stages.length === 0) throw bad('no stages');
  const gates = (Array.isArray(d['gates']) ? d['gates'] : d['gates'] ? [d['gates']] : []).map((g, i) => gate(g, i));
  return { stages, gates, promote: d['promote'] ? promote(d['promote']) : undefined, monitors: monitors(d['monitors']), retrain: d['retrain'] ? retrain(d['retrain']) : undefined };
}

function gate(g: unknown, i: number): GateSpec {
  if (!g || typeof g !== 'object') throw bad(`gates[${i}] must be a mapping`);
  const o = g as Record<string, unknown>;
  if (typeof o['metric'] !== 'string') throw bad(`gates[${i}] needs a metric`);
  if (o['compare'] !== undefined) {
    if (o['compare'] !== 'champion') throw bad(`gates[${i}].compare must be 'champion'`);
    if (typeof o['model'] !== 'string') throw bad(`gates[${i}] needs the registered model to compare with`);
    const direction = o['direction'] ?? 'higher';
    if (direction !== 'higher' && direction !== 'lower') throw bad(`gates[${i}].direction must be higher or lower`);
    return { compare: 'champion', model: o['model'], alias: typeof o['alias'] === 'string' ? o['alias'] : 'champion', metric: o['metric'], direction, min_delta: typeof o['min_delta'] === 'number' ? o['min_delta'] : 0 };
  }
  const op = o['op'] ?? '>=';
  if (!['>=', '>', '<=', '<', '=='].includes(op as string)) throw bad(`gates[${i}].op must be one of >= > <= < ==`);
  if (typeof o['value'] !== 'number') throw bad(`gates[${i}].value must be a number`);
  return { metric: o['metric'], op: op as '>=', value: o['value'] };
}

function promote(p: unknown): PromoteSpec {
  const o = p as Record<string, unknown>;
  if (typeof o['model'] !== 'string' || typeof o['artifact'] !== 'string') throw bad('promote needs model and artifact');
  return { model: o['model'], alias: typeof o['alias'] === 'string' ? o['alias'] : 'champion', artifact: safePath(o['artifact'], 'promote.artifact') };
}

function monitors(v: unknown): MonitorSpec[] {
  if (!v) return [];
  if (!Array.isArray(v)) throw bad('monitors must be a list');
  return v.map((m, i) => {
    const o = (m ?? {}) as Record<string, unknown>;
    for (const k of ['name', 'deployment', 'reference']) if (typeof o[k] !== 'string' || !o[k]) throw bad(`monitors[${i}] needs ${k}`);
    const thresholds = (o['thresholds'] ?? {}) as Record<string, unknown>;
    const actions = strings(o['actions'] ?? ['notify'], `monitors[${i}].actions`);
    for (const a of actions) if (a !== 'notify' && a !== 'retrain') throw bad(`monitors[${i}].actions: '${a}' is not notify or retrain`);
    return {
      name: o['name'] as string,
      deployment: o['deployment'] as string,
      reference: safePath(o['reference'] as string, `monitors[${i}].reference`),
      window_ms: duration(o['window'] ?? '1d', `monitors[${i}].window`),
      every_ms: duration(o['schedule'] ?? o['every'] ?? '1h', `monitors[${i}].schedule`),
      drift_share: typeof thresholds['drift_share'] === 'number' ? thresholds['drift_share'] : 0.5,
      method: typeof o['method'] === 'string' ? o['method'] : undefined,
      actions: actions as ('notify' | 'retrain')[],
    };
  });
}

function retrain(v: unknown): RetrainSpec {
  const o = v as Record<string, unknown>;
  const cron = o['cron'];
  if (cron !== undefined && typeof cron !== 'string') throw bad(`retrain.cron must be a string like '0 3 * * 1'`);
  if (cron !== undefined) parseCron(cron, 'retrain.cron');
  return {
    on_drift: o['on_drift'] === true,
    on_data_change: strings(o['on_data_change'], 'retrain.on_data_change'),
    every_ms: o['every'] === undefined ? undefined : duration(o['every'], 'retrain.every'),
    cron,
  };
}

export function loadPipeline(file: string): PipelineSpec {
  if (!fs.existsSync(file)) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `No pipeline: ${file} does not exist.`);
  return parsePipeline(fs.readFileSync(file, 'utf8'));
}
