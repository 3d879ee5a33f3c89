import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';

export interface ChildOutcome {
  /** Exit code, or 128 + signal number when the child died of a signal (the shell convention). */
  exitCode: number;
  signal?: NodeJS.Signals;
  /** The first signal the launcher received and passed on to the child (the user stopped the run). */
  forwarded?: NodeJS.Signals;
  /** Why the command could not start (e.g. not found). */
  spawnError?: string;
}

export interface ChildOptions {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Every chunk the child writes, in arrival order, after it was passed on to our own stdout/stderr. */
  onOutput(chunk: Buffer, stream: 'stdout' | 'stderr'): void;
  /**
   * Where the child's output goes unchanged (default: this process's stdout/stderr). Writes
   * respect back-pressure: a slow terminal slows the child rather than filling memory.
   */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const EXIT_GRACE_MS = 2000;

/**
 * Runs the tracked command with its stdout and stderr teed (to the terminal, unchanged and as
 * they come, and to `onOutput`), and SIGINT/SIGTERM/SIGHUP passed on to it.
 *
 * Without a terminal the child gets its own process group and signals go to the whole group (as
 * a terminal would deliver them). With a terminal it stays in the terminal's foreground group,
 * so it can read the keyboard; Ctrl-C then reaches it from the terminal directly and is not sent
 * a second time (Python would take a second SIGINT as an interrupt of its own cleanup). A second
 * signal kills the group.
 */
export function runChild(opts: ChildOptions): { pid: number | undefined; done: Promise<ChildOutcome> } {
  const viaTerminal = process.stdin.isTTY === true;
  const child = spawn(opts.argv[0]!, opts.argv.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ['inherit', 'pipe', 'pipe'], detached: !viaTerminal });
  let forwarded: NodeJS.Signals | undefined;
  const signalChild = (sig: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (viaTerminal) child.kill(sig);
      else process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (forwarded) {
      signalChild('SIGKILL');
      return;
    }
    forwarded = sig;
    if (!(viaTerminal && sig === 'SIGINT')) signalChild(sig);
  };
  for (const s of FORWARDED) process.on(s, onSignal);

  // Chunks read in one turn of the event loop are passed on together (a chatty child writes a line
  // per syscall): the terminal still gets them within the same turn, at a fraction of the cost.
  const tee = (from: NodeJS.ReadableStream, to: NodeJS.WritableStream, name: 'stdout' | 'stderr') => {
    let pending: Buffer[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
      opts.onOutput(chunk, name);
    };
    from.on('data', (chunk: Buffer) => {
      if (pending.push(chunk) === 1) setImmediate(flush);
    });
    from.on('end', () => {
      if (pending.length > 0) flush();
    });
  };
  tee(child.stdout!, opts.stdout ?? process.stdout, 'stdout');
  tee(child.stderr!, opts.stderr ?? process.stderr, 'stderr');

  const done = new Promise<ChildOutcome>((resolve) => {
    let spawnError: string | undefined;
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError = err.code === 'ENOENT' ? `command not found: ${opts.argv[0]}` : err.message;
      // 'close' does not follow an error to spawn.
      if (child.pid === undefined) finish(127, null);
    });
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      for (const s of FORWARDED) process.off(s, onSignal);
      const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1);
      resolve({ exitCode, signal: signal ?? undefined, forwarded, spawnError });
    };
    // 'close' comes once all output was read; a background grandchild holding the pipes open must
    // not keep the run going forever, so 'exit' ends it after a grace period.
    child.once('close', finish);
    child.once('exit', (code, signal) => setTimeout(() => finish(code, signal), EXIT_GRACE_MS).unref());
  });
  return { pid: child.pid, done };
}
