import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

/** One process as `/proc/<pid>/stat` describes it. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Resident set size, in pages. */
  rssPages: number;
  /** `Z` for a zombie: exited, not reaped yet (its RSS reads 0). */
  state?: string;
}

/** Parses `/proc/<pid>/stat`; the command name may hold spaces and parentheses, so fields are read after the last `)`. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // Fields after the name start at field 3 (state); ppid is 4, utime 14, stime 15, rss 24.
  const f = text.slice(close + 2).split(' ');
  const ppid = Number(f[1]);
  const cpuTicks = Number(f[11]) + Number(f[12]);
  const rssPages = Number(f[21]);
  if (![pid, ppid, cpuTicks, rssPages].every(Number.isFinite)) return undefined;
  return { pid, ppid, cpuTicks, rssPages, state: f[0] };
}

/** `root` and all its descendants among `procs`. */
export function processTree(procs: ProcStat[], root: number): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const out: ProcStat[] = [];
  const self = procs.find((p) => p.pid === root);
  if (!self) return out;
  const queue = [self];
  while (queue.length) {
    const p = queue.pop()!;
    out.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

export interface GpuSample {
  index: number;
  utilizationPercent: number;
  memoryUsedMb: number;
  memoryTotalMb: number;
}

/** Parses `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(csv: string): GpuSample[] {
  const out: GpuSample[] = [];
  for (const line of csv.split('\n')) {
    const cells = line.split(',').map((c) => Number(c.trim()));
    if (cells.length < 4 || cells.some((c) => !Number.isFinite(c))) continue;
    out.push({ index: cells[0]!, utilizationPercent: cells[1]!, memoryUsedMb: cells[2]!, memoryTotalMb: cells[3]! });
  }
  return out;
}

function readAllProcs(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of fs.readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const p = parseProcStat(fs.readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (p) out.push(p);
    } catch {
      // the process ended while we listed
    }
  }
  return out;
}

/** A sysconf value from `getconf` (asynchronously: a blocking spawn would delay the tracked command). */
function sysconf(name: string): Promise<number | undefined> {
  return new Promise((resolve) =>
    execFile('getconf', [name], { timeout: 2000 }, (err, stdout) => {
      const n = Number(String(stdout).trim());
      resolve(!err && Number.isFinite(n) && n > 0 ? n : undefined);
    }),
  );
}

function hasCommand(cmd: string): boolean {
  const dirs = (process.env['PATH'] ?? '').split(':').filter(Boolean);
  return dirs.some((d) => {
    try {
      fs.accessSync(`${d}/${cmd}`, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export type SystemMetricSink = (key: string, value: number, step: number, timestamp: number) => void;

/**
 * Samples the tracked process tree every few seconds: `system/cpu_percent` (100 = one core busy),
 * `system/rss_mb` and `system/processes`, plus `system/gpu<i>_utilization_percent` and
 * `system/gpu<i>_memory_mb` when `nvidia-smi` exists. Linux only (reads /proc); elsewhere it
 * records nothing.
 */
export class SystemSampler {
  private timer: NodeJS.Timeout | undefined;
  private last: { at: number; ticks: Map<number, number> } | undefined;
  private step = 0;
  /** Linux's usual values until `getconf` answers. */
  private clockTicks = 100;
  private pageMb = 4096 / (1024 * 1024);
  private readonly gpu: boolean;
  readonly supported = fs.existsSync('/proc/self/stat');

  constructor(
    private readonly rootPid: number,
    private readonly sink: SystemMetricSink,
    private readonly intervalMs = 5000,
  ) {
    this.gpu = this.supported && hasCommand('nvidia-smi');
  }

  start(): void {
    if (!this.supported) return;
    void sysconf('CLK_TCK').then((n) => (this.clockTicks = n ?? this.clockTicks));
    void sysconf('PAGESIZE').then((n) => (this.pageMb = (n ?? 4096) / (1024 * 1024)));
    this.baseline();
    // The first point comes early, so short runs still get one.
    const first = Math.min(this.intervalMs, 1000);
    this.timer = setTimeout(() => {
      this.sample();
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }, first);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private baseline(): void {
    const tree = processTree(readAllProcs(), this.rootPid);
    this.last = { at: performance.now(), ticks: new Map(tree.map((p) => [p.pid, p.cpuTicks])) };
  }

  /** Takes one sample now. CPU is measured since the previous sample, per process (new ones from zero). */
  sample(): void {
    const now = performance.now();
    const tree = processTree(readAllProcs(), this.rootPid);
    // The command has exited (a zombie until reaped): nothing left to measure.
    if (tree.length === 0 || tree[0]!.state === 'Z') return;
    const prev = this.last;
    const ticks = new Map(tree.map((p) => [p.pid, p.cpuTicks]));
    this.last = { at: now, ticks };
    const ts = Date.now();
    const step = this.step++;
    if (prev) {
      let delta = 0;
      for (const p of tree) delta += Math.max(0, p.cpuTicks - (prev.ticks.get(p.pid) ?? 0));
      const seconds = (now - prev.at) / 1000;
      if (seconds > 0) this.sink('system/cpu_percent', round((delta / this.clockTicks / seconds) * 100), step, ts);
    }
    this.sink('system/rss_mb', round(tree.reduce((s, p) => s + p.rssPages, 0) * this.pageMb), step, ts);
    this.sink('system/processes', tree.length, step, ts);
    if (this.gpu) this.sampleGpu(step, ts);
  }

  private sampleGpu(step: number, ts: number): void {
    execFile('nvidia-smi', ['--query-gpu=index,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'], { timeout: 4000 }, (err, stdout) => {
      if (err) return;
      for (const g of parseNvidiaSmi(stdout)) {
        this.sink(`system/gpu${g.index}_utilization_percent`, g.utilizationPercent, step, ts);
        this.sink(`system/gpu${g.index}_memory_mb`, g.memoryUsedMb, step, ts);
      }
    });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
