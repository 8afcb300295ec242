/**
 * Every rate limit the edge functions apply, in one place (README's security section lists them).
 * `limit` hits per fixed window of `windowSeconds`, per key; a key is a client address (`ip`), an
 * account, a normalised phone number or email address, or `global`.
 */
export interface Limit {
  bucket: string;
  limit: number;
  windowSeconds: number;
}

const MINUTE = 60;
const HOUR = 3600;

export const LIMITS = {
  /** Sign-in attempts per client address (the same as Auth's sign_in_sign_ups). */
  signInPerIp: { bucket: 'sign-in:ip', limit: 30, windowSeconds: 5 * MINUTE },
  /** Failed sign-ins per account (or per unknown login), ≤ 100 an hour as ASVS 2.2.1 asks. */
  signInFailuresPerAccount: { bucket: 'sign-in:account', limit: 20, windowSeconds: 15 * MINUTE },
  /** Wrong passwords Auth checked per account (its password verification hook; every door). */
  authPasswordFailuresPerAccount: { bucket: 'auth-password:account', limit: 20, windowSeconds: 15 * MINUTE },
  registerPerIp: { bucket: 'register:ip', limit: 10, windowSeconds: HOUR },
  /** Code checks (reset, phone, parental) per client address. */
  codeChecksPerIp: { bucket: 'code-check:ip', limit: 30, windowSeconds: 5 * MINUTE },
  resetRequestsPerIp: { bucket: 'reset-request:ip', limit: 10, windowSeconds: HOUR },
  resetRequestsPerAccount: { bucket: 'reset-request:account', limit: 5, windowSeconds: HOUR },
  smsPerIp: { bucket: 'sms:ip', limit: 5, windowSeconds: HOUR },
  smsPerNumber: { bucket: 'sms:number', limit: 5, windowSeconds: HOUR },
  smsGlobal: { bucket: 'sms:global', limit: 100, windowSeconds: HOUR },
  parentMailsPerAccount: { bucket: 'parent-mail:account', limit: 5, windowSeconds: HOUR },
  parentMailsPerIp: { bucket: 'parent-mail:ip', limit: 10, windowSeconds: HOUR },
  parentMailsPerAddress: { bucket: 'parent-mail:address', limit: 3, windowSeconds: HOUR },
  parentMailsGlobal: { bucket: 'parent-mail:global', limit: 100, windowSeconds: HOUR },
} as const satisfies Record<string, Limit>;

/** The key of the limits every sender shares. */
export const GLOBAL = 'global';

/** Wrong codes per account (or phone number) an hour across codes; enforced in consume_one_time_code. */
export const CODE_FAILURES_PER_HOUR = 20;

/**
 * An email address as the limits count it: lower-case, without a `+tag`, and for Gmail (whose
 * mailboxes ignore dots) without dots and with googlemail.com as gmail.com. Elsewhere dots are kept:
 * other providers treat `a.b@` and `ab@` as different people.
 */
export function normaliseEmailForLimits(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  let local = lower.slice(0, at).replace(/\+.*$/, '');
  let domain = lower.slice(at + 1);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replaceAll('.', '');
  return `${local}@${domain}`;
}
