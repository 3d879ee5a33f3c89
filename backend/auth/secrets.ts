import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const TOKEN = /^cairn_([0-9a-f]{12})_([A-Za-z0-9_-]{32,})$/;

/** A personal token: `cairn_<id>_<secret>`; only the id and a sha256 of the secret are stored. */
export function newPersonalToken(): { id: string; token: string; secretHash: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  return { id, token: `cairn_${id}_${secret}`, secretHash: sha256(secret) };
}

export function parsePersonalToken(token: string): { id: string; secretHash: string } | undefined {
  const m = TOKEN.exec(token);
  return m ? { id: m[1]!, secretHash: sha256(m[2]!) } : undefined;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

function scryptAsync(password: string, salt: Buffer, p: typeof SCRYPT): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, p.keyLength, { N: p.N, r: p.r, p: p.p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$<salt hex>$<key hex>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('hex')}$${key.toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const derived = await scryptAsync(password, Buffer.from(salt, 'hex'), { N: Number(n), r: Number(r), p: Number(p), keyLength: key.length / 2 });
  return sameHex(derived.toString('hex'), key);
}
