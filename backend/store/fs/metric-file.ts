/**
 * The on-disk format of one run's metric history: 32-byte records, appended only.
 *   point:      u32 keyIndex | u32 0 | f64 step | f64 timestamp | f64 value
 *   key define: u32 0xFFFFFFFF | u32 byteLength | utf-8 name (24 bytes here, then whole 32-byte blocks)
 * Key indexes count key-define records in file order. A torn tail (a crash mid-append) is found
 * by `scan` and cut off.
 */
export const RECORD = 32;
const KEY_DEF = 0xffffffff;
const NAME_IN_HEAD = 24;

export interface PointRecord {
  key: string;
  step: number;
  timestamp: number;
  value: number;
}

export function encodeKeyDef(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  const blocks = 1 + Math.ceil(Math.max(0, bytes.length - NAME_IN_HEAD) / RECORD);
  const buf = Buffer.alloc(blocks * RECORD);
  buf.writeUInt32LE(KEY_DEF, 0);
  buf.writeUInt32LE(bytes.length, 4);
  bytes.copy(buf, 8);
  return buf;
}

export function encodePoints(points: { keyIndex: number; step: number; timestamp: number; value: number }[], into: Buffer, at: number): number {
  let off = at;
  for (const p of points) {
    into.writeUInt32LE(p.keyIndex, off);
    into.writeUInt32LE(0, off + 4);
    into.writeDoubleLE(p.step, off + 8);
    into.writeDoubleLE(p.timestamp, off + 16);
    into.writeDoubleLE(p.value, off + 24);
    off += RECORD;
  }
  return off;
}

export interface ScanVisitor {
  key(name: string): void;
  point(keyIndex: number, step: number, timestamp: number, value: number): void;
}

/** Decodes records from `buf`; returns how many bytes form complete records. */
export function scan(buf: Buffer, visitor: ScanVisitor): number {
  let off = 0;
  const end = buf.length - (buf.length % RECORD);
  while (off + RECORD <= end) {
    const idx = buf.readUInt32LE(off);
    if (idx === KEY_DEF) {
      const len = buf.readUInt32LE(off + 4);
      const blocks = 1 + Math.ceil(Math.max(0, len - NAME_IN_HEAD) / RECORD);
      if (off + blocks * RECORD > end) break;
      visitor.key(buf.toString('utf8', off + 8, off + 8 + len));
      off += blocks * RECORD;
    } else {
      visitor.point(idx, buf.readDoubleLE(off + 8), buf.readDoubleLE(off + 16), buf.readDoubleLE(off + 24));
      off += RECORD;
    }
  }
  return off;
}
