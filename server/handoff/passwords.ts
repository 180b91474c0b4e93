// Agent passwords: scrypt from node:crypto (no native module), with the parameters stored next to the
// hash so they can be raised later without invalidating existing passwords.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 15;
const r = 8;
const p = 1;
const KEY_LENGTH = 32;
/** the shortest password the CLI and the admin API accept */
export const MIN_PASSWORD_LENGTH = 8;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

function memoryFor(cost: number, blockSize: number): number {
  return 256 * cost * blockSize; // twice what scrypt needs, so node's default cap of 32 MB does not refuse N=2^15
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: memoryFor(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, blockSize, parallel, salt, expected] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !expected) return false;
  const expectedKey = Buffer.from(expected, 'base64');
  const options = { N: Number(cost), r: Number(blockSize), p: Number(parallel), maxmem: memoryFor(Number(cost), Number(blockSize)) };
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expectedKey.length, options);
  return timingSafeEqual(key, expectedKey);
}

/** A hash nobody's password matches: verified against when the login is unknown, so both cases take as long. */
export const UNKNOWN_AGENT_HASH = `scrypt$${N}$${r}$${p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}
