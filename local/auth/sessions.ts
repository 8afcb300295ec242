import { randomInt, randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import { NIL_INSTANCE } from './users.ts';

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  updated_at: Date;
  factor_id: string | null;
  aal: string | null;
  not_after: Date | null;
}

export interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  parent: string | null;
  session_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AmrEntry {
  method: string;
  timestamp: number;
}

/** Methods whose AMR claim lifts a session to aal2 (GoTrue's `IsAAL2Claim`). */
const AAL2_METHODS = new Set(['totp', 'mfa/phone', 'mfa/webauthn']);

export interface ClientInfo {
  userAgent: string | undefined;
  ip: string | undefined;
}

/** 12 lowercase alphanumerics, the shape of GoTrue's (v1) refresh tokens. */
export function newRefreshTokenString(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let token = '';
  for (let i = 0; i < 12; i++) token += alphabet[randomInt(alphabet.length)];
  return token;
}

/** A new session with its first refresh token (the session half of GoTrue's `GrantAuthenticatedUser`). */
export async function createSession(
  db: Queryable,
  userId: string,
  client: ClientInfo,
  factorId?: string,
): Promise<{ sessionId: string; refreshToken: string }> {
  const sessionId = randomUUID();
  await db.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, factor_id, aal, user_agent, ip, refreshed_at)
     values ($1, $2, now(), now(), $3, 'aal1', $4, $5::inet, null)`,
    [sessionId, userId, factorId ?? null, client.userAgent ?? null, validInet(client.ip)],
  );
  const refreshToken = await insertRefreshToken(db, userId, sessionId, null);
  return { sessionId, refreshToken };
}

async function insertRefreshToken(db: Queryable, userId: string, sessionId: string, parent: string | null): Promise<string> {
  const token = newRefreshTokenString();
  await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id, created_at, updated_at)
     values ($1, $2, $3, false, $4, $5, now(), now())`,
    [NIL_INSTANCE, token, userId, parent, sessionId],
  );
  return token;
}

/** GoTrue's `GrantRefreshTokenSwap`: revoke the presented token, issue its child. */
export async function swapRefreshToken(db: Queryable, token: RefreshTokenRow): Promise<string> {
  await db.query('update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1', [token.id]);
  return insertRefreshToken(db, token.user_id, token.session_id!, token.token);
}

export async function findRefreshToken(db: Queryable, token: string, forUpdate = false): Promise<RefreshTokenRow | undefined> {
  const { rows } = await db.query<RefreshTokenRow>(
    `select id::text, token, user_id, coalesce(revoked, false) as revoked, parent, session_id, created_at, updated_at
       from auth.refresh_tokens where token = $1 ${forUpdate ? 'for update' : ''}`,
    [token],
  );
  return rows[0];
}

export async function findActiveRefreshToken(db: Queryable, sessionId: string): Promise<RefreshTokenRow | undefined> {
  const { rows } = await db.query<RefreshTokenRow>(
    `select id::text, token, user_id, coalesce(revoked, false) as revoked, parent, session_id, created_at, updated_at
       from auth.refresh_tokens where session_id = $1 and revoked is false order by id desc limit 1`,
    [sessionId],
  );
  return rows[0];
}

/** Reuse detected: every live token of the session is revoked (GoTrue's `RevokeTokenFamily`). */
export async function revokeTokenFamily(db: Queryable, sessionId: string): Promise<void> {
  await db.query('update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false', [
    sessionId,
  ]);
}

export async function findSession(db: Queryable, sessionId: string): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    'select id, user_id, created_at, updated_at, factor_id, aal::text as aal, not_after from auth.sessions where id = $1',
    [sessionId],
  );
  return rows[0];
}

export async function recordRefresh(db: Queryable, sessionId: string, client: ClientInfo): Promise<void> {
  await db.query(
    `update auth.sessions set refreshed_at = now() at time zone 'utc', user_agent = $2, ip = $3::inet, updated_at = now() where id = $1`,
    [sessionId, client.userAgent ?? null, validInet(client.ip)],
  );
}

/** GoTrue's `AddClaimToSession`: one AMR row per method, its timestamp refreshed on reuse. */
export async function addAmrClaim(db: Queryable, sessionId: string, method: string): Promise<void> {
  await db.query(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values ($1, $2, now(), now(), $3)
     on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey do update set updated_at = now()`,
    [randomUUID(), sessionId, method],
  );
}

/** The session's assurance level and AMR list, most recent first (`CalculateAALAndAMR`). */
export async function sessionAssurance(db: Queryable, sessionId: string): Promise<{ aal: string; amr: AmrEntry[] }> {
  const { rows } = await db.query<{ authentication_method: string; updated_at: Date }>(
    'select authentication_method, updated_at from auth.mfa_amr_claims where session_id = $1',
    [sessionId],
  );
  let aal = 'aal1';
  const amr = rows.map((row) => {
    if (AAL2_METHODS.has(row.authentication_method)) aal = 'aal2';
    return { method: row.authentication_method, timestamp: Math.floor(row.updated_at.getTime() / 1000) };
  });
  amr.sort((a, b) => b.timestamp - a.timestamp);
  return { aal, amr };
}

export async function setSessionAal(db: Queryable, sessionId: string, aal: string, factorId: string | null): Promise<void> {
  await db.query('update auth.sessions set aal = $2::auth.aal_level, factor_id = $3, updated_at = now() where id = $1', [
    sessionId,
    aal,
    factorId,
  ]);
}

/** Every session of the user ends (GoTrue's `Logout`). */
export async function deleteAllSessions(db: Queryable, userId: string): Promise<void> {
  await db.query('delete from auth.sessions where user_id = $1', [userId]);
  await db.query('delete from auth.refresh_tokens where user_id = $1', [userId]);
}

export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('delete from auth.sessions where id = $1', [sessionId]);
}

export async function deleteOtherSessions(db: Queryable, userId: string, keepSessionId: string): Promise<void> {
  await db.query('delete from auth.sessions where user_id = $1 and id <> $2', [userId, keepSessionId]);
}

/** After an aal2 verification, sessions below aal2 end (`InvalidateSessionsWithAALLessThan`). */
export async function deleteSessionsBelowAal2(db: Queryable, userId: string): Promise<void> {
  await db.query(`delete from auth.sessions where user_id = $1 and (aal is null or aal < 'aal2'::auth.aal_level)`, [userId]);
}

function validInet(ip: string | undefined): string | null {
  if (!ip) return null;
  const stripped = ip.replace(/^::ffff:/, '');
  return /^[0-9a-fA-F:.]+$/.test(stripped) ? stripped : null;
}
