// Native bcrypt hashes on libuv's thread pool, so sign-ins neither block nor queue behind REST traffic.
import bcrypt from 'bcrypt';
import { validationFailed, WeakPasswordError } from './errors.ts';
import type { AuthSettings } from './settings.ts';

/** bcrypt refuses longer input; GoTrue rejects it up front. */
const MAX_PASSWORD_LENGTH = 72;
const BCRYPT_COST = 10;

/** A bcrypt hash as GoTrue (Go's x/crypto/bcrypt) writes it: `$2a$10$…`. */
export async function hashPassword(password: string): Promise<string> {
  const hash = await bcrypt.hash(password, BCRYPT_COST);
  return hash.replace(/^\$2b\$/, '$2a$');
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random password made by {@link hashPassword}, so at the cost real hashes have: a
 * login without a password is checked against it, and takes as long as a wrong password.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomPassword());
  return dummyHash;
}

/** The cost factor of a bcrypt hash (`$2a$10$…` → 10). */
export function bcryptCost(hash: string): number | undefined {
  const match = /^\$2[aby]\$(\d\d)\$/.exec(hash);
  return match ? Number(match[1]) : undefined;
}

/** Checks a password against a stored bcrypt hash ($2a$, $2b$, $2y$ — e.g. pgcrypto's crypt()). */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash || !/^\$2[aby]\$\d\d\$/.test(hash)) return false;
  try {
    return await bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));
  } catch {
    return false;
  }
}

/** GoTrue's `checkPasswordStrength`: minimum length and required character sets. */
export function checkPasswordStrength(settings: AuthSettings, password: string): void {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw validationFailed(`Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  const messages: string[] = [];
  const reasons: string[] = [];
  const { minLength, requiredCharacters } = settings.password;
  if ([...password].length < minLength) {
    reasons.push('length');
    messages.push(`Password should be at least ${minLength} characters.`);
  }
  for (const set of requiredCharacters) {
    if (set && ![...password].some((ch) => set.includes(ch))) {
      reasons.push('characters');
      messages.push(`Password should contain at least one character of each: ${requiredCharacters.join(', ')}.`);
      break;
    }
  }
  if (reasons.length) throw new WeakPasswordError(messages.join(' '), reasons);
}

/** A random password for users created without one (admin create, magic-link sign-up). */
export function randomPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
  return Buffer.from(bytes).toString('base64url').slice(0, 64);
}
