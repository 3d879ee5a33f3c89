import * as fs from 'node:fs';

const FLUSH_BYTES = 256 * 1024;
const FLUSH_MS = 200;

/**
 * The run's full output on disk, written in large appends: a chatty command delivers a line per
 * read, and one write per line costs more than parsing it.
 */
export class LogFile {
  private readonly fd: number;
  private chunks: Buffer[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'a');
  }

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= FLUSH_BYTES) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.size === 0) return;
    fs.writeSync(this.fd, this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}
