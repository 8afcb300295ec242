import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Queryable } from './db.ts';
import type { FactorRow } from './users.ts';

/** Unverified factors older than this are removed on the next enrolment (GoTrue's default). */
const FACTOR_EXPIRY_SECONDS = 300;

export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrCode: string;
}

/** A new TOTP secret (160 bits, SHA-1, 6 digits, 30 s), its otpauth:// URI and an SVG QR code of it, as GoTrue answers. */
export async function newTotp(issuer: string, accountName: string): Promise<TotpEnrolment> {
  const totp = new TOTP({ issuer, label: accountName, algorithm: 'SHA1', digits: 6, period: 30, secret: new Secret({ size: 20 }) });
  const uri = totp.toString();
  return { secret: totp.secret.base32, uri, qrCode: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M' }) };
}

/** Validates a 6-digit code against the factor's secret, one step of clock skew either way. */
export function verifyTotp(secretBase32: string, code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
  return totp.validate({ token: code, window: 1 }) !== null;
}

export async function deleteExpiredUnverifiedFactors(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `delete from auth.mfa_factors where user_id = $1 and status = 'unverified' and created_at < now() - make_interval(secs => $2)`,
    [userId, FACTOR_EXPIRY_SECONDS],
  );
}

export async function insertFactor(db: Queryable, userId: string, friendlyName: string, secret: string): Promise<string> {
  const id = randomUUID();
  await db.query(
    `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
     values ($1, $2, $3, 'totp', 'unverified', now(), now(), $4)`,
    [id, userId, friendlyName, secret],
  );
  return id;
}

export interface ChallengeRow {
  id: string;
  factor_id: string;
  created_at: Date;
  verified_at: Date | null;
  ip_address: string;
}

export async function createChallenge(db: Queryable, factor: FactorRow, ip: string): Promise<ChallengeRow> {
  const id = randomUUID();
  const { rows } = await db.query<ChallengeRow>(
    `insert into auth.mfa_challenges (id, factor_id, created_at, ip_address) values ($1, $2, now(), $3::inet)
     returning id, factor_id, created_at, verified_at, host(ip_address) as ip_address`,
    [id, factor.id, ip],
  );
  await db.query('update auth.mfa_factors set last_challenged_at = now() where id = $1', [factor.id]);
  return rows[0]!;
}

export async function findChallenge(db: Queryable, factorId: string, challengeId: string): Promise<ChallengeRow | undefined> {
  const { rows } = await db.query<ChallengeRow>(
    `select id, factor_id, created_at, verified_at, host(ip_address) as ip_address from auth.mfa_challenges
      where id = $1 and factor_id = $2`,
    [challengeId, factorId],
  );
  return rows[0];
}

/** Removing a factor drops its sessions back to aal1 (`DowngradeSessionsToAAL1`). */
export async function downgradeSessionsOfFactor(db: Queryable, factor: FactorRow): Promise<void> {
  await db.query(
    `delete from auth.mfa_amr_claims where authentication_method = $2
        and session_id in (select id from auth.sessions where factor_id = $1)`,
    [factor.id, factor.factor_type],
  );
  await db.query(`update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now() where factor_id = $1`, [factor.id]);
}
