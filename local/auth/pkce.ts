import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Queryable } from './db.ts';
import { AuthError, badRequest, notFound, unprocessable, validationFailed } from './errors.ts';

/**
 * PKCE (RFC 7636) as GoTrue runs it for email flows: a request carrying `code_challenge` stores an
 * `auth.flow_state` row with a fresh auth code; the mailed token is prefixed `pkce_`; following the
 * link answers `?code=<auth_code>`; `POST /token?grant_type=pkce` trades the code and verifier for
 * a session.
 */
export type FlowType = 'pkce' | 'implicit';

/** Prefix of a mailed token hash that belongs to a PKCE flow. */
export const PKCE_PREFIX = 'pkce_';

/** GoTrue's `FlowStateExpiryDuration` default. */
const FLOW_STATE_EXPIRY_SECONDS = 300;

const CODE_CHALLENGE_FORMAT = /^[a-zA-Z._~0-9-]+$/;

export interface PkceParams {
  codeChallenge: string;
  codeChallengeMethod: string;
}

/** `code_challenge` and `code_challenge_method` of a request body (empty strings when absent). */
export function pkceParams(body: Record<string, unknown>): PkceParams {
  const read = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  return { codeChallenge: read('code_challenge'), codeChallengeMethod: read('code_challenge_method') };
}

/** GoTrue's `validatePKCEParams`: both or neither, and a challenge of RFC 7636's shape. */
export function validatePkceParams({ codeChallenge, codeChallengeMethod }: PkceParams): void {
  if ((codeChallenge === '') !== (codeChallengeMethod === '')) {
    throw validationFailed('PKCE flow requires code_challenge_method and code_challenge');
  }
  if (!codeChallenge) return;
  if (codeChallenge.length < 43 || codeChallenge.length > 128) {
    throw validationFailed('code challenge has to be between 43 and 128 characters');
  }
  if (!CODE_CHALLENGE_FORMAT.test(codeChallenge)) {
    throw validationFailed('code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes');
  }
}

export function flowTypeOf({ codeChallenge }: PkceParams): FlowType {
  return codeChallenge ? 'pkce' : 'implicit';
}

/** The token as stored and mailed: `pkce_<hash>` for a PKCE flow (`addFlowPrefixToToken`). */
export function withFlowPrefix(hash: string, flow: FlowType): string {
  return flow === 'pkce' ? PKCE_PREFIX + hash : hash;
}

/** GoTrue's `ParseAuthenticationMethod` for the verification types an email link carries. */
export function authenticationMethodOf(verificationType: string): string {
  return verificationType.endsWith('signup') ? 'email/signup' : verificationType;
}

function normalisedMethod(method: string): 's256' | 'plain' {
  const lower = method.toLowerCase();
  if (lower === 's256' || lower === 'plain') return lower;
  throw new AuthError(500, 'unexpected_failure', `unsupported code_challenge method "${method}"`);
}

/** `generateFlowState`: a flow state row with a new auth code, for `userId` and `authenticationMethod`. */
export async function createFlowState(
  db: Queryable,
  params: PkceParams,
  providerType: string,
  authenticationMethod: string,
  userId: string,
): Promise<void> {
  await db.query(
    `insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type,
        provider_access_token, provider_refresh_token, authentication_method, created_at, updated_at)
     values ($1, $2, $3, $4::auth.code_challenge_method, $5, $6, '', '', $7, now(), now())`,
    [randomUUID(), userId, randomUUID(), normalisedMethod(params.codeChallengeMethod), params.codeChallenge, providerType, authenticationMethod],
  );
}

/**
 * `issueAuthCode`: the auth code of the user's latest flow state for the method, stamped with the
 * time it was handed out. Without one the link cannot complete a PKCE flow.
 */
export async function issueAuthCode(db: Queryable, userId: string, authenticationMethod: string): Promise<string> {
  const { rows } = await db.query<{ id: string; auth_code: string | null; code_challenge: string | null }>(
    `select id, auth_code, code_challenge from auth.flow_state
      where user_id = $1 and authentication_method = $2 order by created_at desc limit 1`,
    [userId, authenticationMethod],
  );
  const flow = rows[0];
  if (!flow) throw badRequest('flow_state_not_found', 'No associated flow state found. No valid flow state found for user.');
  if (!flow.code_challenge || !flow.auth_code) {
    throw badRequest('flow_state_not_found', 'No associated flow state found. Flow state does not have an auth code (not a PKCE flow).');
  }
  await db.query('update auth.flow_state set auth_code_issued_at = now(), updated_at = now() where id = $1', [flow.id]);
  return flow.auth_code;
}

export interface FlowStateRow {
  id: string;
  user_id: string | null;
  code_challenge: string | null;
  code_challenge_method: string | null;
  provider_type: string;
  authentication_method: string;
  created_at: Date;
  auth_code_issued_at: Date | null;
}

/**
 * The flow state an auth code names, checked as GoTrue's PKCE grant checks it: it exists and has
 * a user (404 flow_state_not_found), is younger than five minutes (422 flow_state_expired), and
 * the verifier matches its challenge (400 bad_code_verifier).
 */
export async function redeemableFlowState(db: Queryable, authCode: string, codeVerifier: string): Promise<FlowStateRow> {
  const { rows } = await db.query<FlowStateRow>(
    `select id, user_id, code_challenge, code_challenge_method::text as code_challenge_method, provider_type,
            authentication_method, created_at, auth_code_issued_at
       from auth.flow_state where auth_code = $1 limit 1`,
    [authCode],
  );
  const flow = rows[0];
  if (!flow || !flow.user_id) throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found');
  if (isExpired(flow)) throw unprocessable('flow_state_expired', 'invalid flow state, flow state has expired');
  const problem = pkceProblem(flow, codeVerifier);
  if (problem) throw badRequest('bad_code_verifier', problem);
  return flow;
}

/** A magic link's code lives five minutes from when it was handed out; others from the flow's start. */
function isExpired(flow: FlowStateRow): boolean {
  const start = flow.auth_code_issued_at && flow.authentication_method === 'magiclink' ? flow.auth_code_issued_at : flow.created_at;
  return Date.now() > start.getTime() + FLOW_STATE_EXPIRY_SECONDS * 1000;
}

/** `VerifyPKCEChallenge`: S256 compares base64url(sha256(verifier)), plain the verifier itself. */
function pkceProblem(flow: FlowStateRow, codeVerifier: string): string | undefined {
  if (!flow.code_challenge) return 'PKCE verification not applicable for implicit flow';
  const method = (flow.code_challenge_method ?? '').toLowerCase();
  let expected: string;
  if (method === 's256') expected = createHash('sha256').update(codeVerifier).digest('base64url');
  else if (method === 'plain') expected = codeVerifier;
  else return 'code challenge method not supported';
  const a = Buffer.from(flow.code_challenge);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? undefined : 'code challenge does not match previously saved code verifier';
}

export async function deleteFlowState(db: Queryable, id: string): Promise<void> {
  await db.query('delete from auth.flow_state where id = $1', [id]);
}
