import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';

/** One committed transaction: its sequence number and the statements that made it. */
export interface JournalRecord {
  seq: number;
  stmts: [sql: string, params: SqlParam[]][];
}
export type SqlParam = number | string | null;

const HEADER = 8; // u32 payload length + u32 crc32 of the payload
const SEGMENT_NAME = /^(\d{16})\.log$/;

export const segmentName = (firstSeq: number) => `${String(firstSeq).padStart(16, '0')}.log`;

export function listSegments(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => SEGMENT_NAME.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export function encodeRecord(rec: JournalRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(rec), 'utf8');
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, HEADER);
  return out;
}

/**
 * Reads the records of one segment. A torn or corrupt tail (a crash in the middle of an append)
 * ends the segment: `validBytes` tells where the good part stops.
 */
export function readSegment(file: string): { records: JournalRecord[]; validBytes: number; torn: boolean } {
  const buf = fs.readFileSync(file);
  const records: JournalRecord[] = [];
  let off = 0;
  while (off + HEADER <= buf.length) {
    const len = buf.readUInt32LE(off);
    const end = off + HEADER + len;
    if (end > buf.length) break;
    const payload = buf.subarray(off + HEADER, end);
    if (crc32(payload) !== buf.readUInt32LE(off + 4)) break;
    records.push(JSON.parse(payload.toString('utf8')) as JournalRecord);
    off = end;
  }
  return { records, validBytes: off, torn: off !== buf.length };
}

/** fsync a directory so a rename or a new file in it survives power loss. */
export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms cannot open directories for fsync; renames there are as durable as they get.
  }
}
