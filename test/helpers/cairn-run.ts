import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after } from 'node:test';
import { CLI, ROOT } from './server-process';

export const PYTHON = '/usr/bin/python3';
/** tsx's loader by absolute path, so `node --import` works from any folder. */
export const TSX_LOADER = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');

export interface CairnRunProcess {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout (or stderr) contains `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((p) => p.kill('SIGKILL')));
after(() => live.forEach((p) => p.kill('SIGKILL')));

/** Starts `cairn run <args>` from the built CLI as a real process. */
export function cairnRun(args: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): CairnRunProcess {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' before the integration tests`);
  const env: Record<string, string | undefined> = { ...process.env, CAIRN_SYSTEM_METRICS_INTERVAL: '0.3', ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const proc = spawn(process.execPath, [CLI, 'run', ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (out.includes(w.text) || err.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  proc.stdout!.on('data', (d) => {
    out += d;
    check();
  });
  proc.stderr!.on('data', (d) => {
    err += d;
    check();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    proc.once('close', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal, stdout: out, stderr: err });
    }),
  );
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    waitFor: (text, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`'${text}' did not appear within ${timeoutMs / 1000} s.\nstdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        check();
      }),
    done,
  };
}

/** The run id `cairn run` announced on stderr. */
export function runIdOf(stderr: string): string {
  const m = /\[cairn\] run \S+ \(([0-9a-f]{32})\)/.exec(stderr);
  if (!m) throw new Error(`no run id in cairn run's output:\n${stderr}`);
  return m[1]!;
}
