import { randomUUID } from 'node:crypto';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AuthDatabase, Queryable } from './db.ts';
import { AuthError } from './errors.ts';
import type { AuthSettings, HookSettings } from './settings.ts';
import type { JsonObject } from './users.ts';
import type { NewUser } from './user-writes.ts';

/** GoTrue's default timeout for Postgres hooks. */
const HOOK_TIMEOUT_MS = 2000;

/** GoTrue's hook names, as they appear in the payload's `metadata.name`. */
export type HookName = 'customize-access-token' | 'send-sms' | 'before-user-created' | 'password-verification-attempt';

/** GoTrue's `v0hooks.Metadata`: a fresh id, the time, the hook's name and the client address. */
function hookMetadata(name: HookName, ip: string | undefined): JsonObject {
  const metadata: JsonObject = { uuid: randomUUID(), time: new Date().toISOString(), name };
  if (ip) metadata.ip_address = ip;
  return metadata;
}

/**
 * GoTrue's Postgres hook dispatcher (`hookspgfunc`): `select "schema"."fn"($1)` inside the
 * caller's transaction, as supabase_auth_admin, under a 2 s statement timeout. A function that
 * fails is a 500 naming the hook URI; `{"error": {"http_code", "message"}}` becomes that HTTP
 * error; anything else is the hook's output (null when the function answered null).
 */
export async function invokePostgresHook(db: Queryable, hook: HookSettings, payload: JsonObject): Promise<unknown> {
  let output: unknown;
  try {
    await db.query(`set local statement_timeout to '${HOOK_TIMEOUT_MS}'`);
    const { rows } = await db.query<{ output: unknown }>(`select ${hook.functionName}($1::jsonb) as output`, [JSON.stringify(payload)]);
    await db.query('set local statement_timeout to default');
    output = rows[0]?.output ?? null;
  } catch (error) {
    throw new AuthError(500, 'unexpected_failure', `Error running hook URI: ${hook.uri}`, error);
  }
  if (typeof output === 'string') {
    try {
      output = JSON.parse(output);
    } catch (error) {
      throw new AuthError(500, 'unexpected_failure', 'Error unmarshaling JSON output.', error);
    }
  }
  const hookError = hookErrorOf(output);
  if (hookError) throw hookError;
  return output;
}

export interface CustomAccessTokenInput {
  userId: string;
  claims: JsonObject;
  authenticationMethod: string;
  ip: string | undefined;
}

/**
 * Calls the custom access token hook (`pg-functions://…`) through the Postgres dispatcher and
 * returns the claims it answered after GoTrue's checks.
 */
export async function runCustomAccessTokenHook(db: Queryable, hook: HookSettings, input: CustomAccessTokenInput): Promise<JsonObject> {
  const output = await invokePostgresHook(db, hook, {
    metadata: hookMetadata('customize-access-token', input.ip),
    user_id: input.userId,
    claims: input.claims,
    authentication_method: input.authenticationMethod,
  });
  if (!output || typeof output !== 'object' || !('claims' in output)) {
    throw new AuthError(500, 'unexpected_failure', 'output claims field is missing');
  }
  const claims = (output as { claims: unknown }).claims;
  const problems = claimSchemaProblems(claims);
  if (problems.length) {
    throw new AuthError(
      500,
      'unexpected_failure',
      `output claims do not conform to the expected schema: \n${problems.map((p) => `- ${p}\n`).join('')}`,
    );
  }
  return claims as JsonObject;
}

export interface SendSmsInput {
  /** The user as GoTrue's `models.User` serialises it (`userJson`). */
  user: JsonObject;
  otp: string;
  /** The number the code goes to (digits, no +). */
  phone: string;
  ip: string | undefined;
}

/**
 * The Send SMS hook: GoTrue hands it `{metadata, user, sms: {otp, phone}}` instead of calling an
 * SMS provider; the hook delivers the message. Its output carries nothing but a possible error;
 * an output that is not a JSON object cannot be read into GoTrue's (empty) output struct.
 */
export async function runSendSmsHook(db: Queryable, hook: HookSettings, input: SendSmsInput): Promise<void> {
  const output = await invokePostgresHook(db, hook, {
    metadata: hookMetadata('send-sms', input.ip),
    user: input.user,
    sms: { otp: input.otp, phone: input.phone },
  });
  if (output !== null && (typeof output !== 'object' || Array.isArray(output))) {
    throw new AuthError(500, 'unexpected_failure', 'Error unmarshaling JSON output.');
  }
}

/** A user about to be created, with the id it will be saved under. */
export type UnsavedUser = NewUser & { id: string };

/**
 * GoTrue's `models.User` JSON for a user built by `SignupParams.ToUserModel` and not yet saved: the
 * role is set later, the times are Go's zero time, and there are no identities yet.
 */
function unsavedUserJson(user: UnsavedUser): JsonObject {
  const zeroTime = '0001-01-01T00:00:00Z';
  return {
    id: user.id,
    aud: user.aud,
    role: '',
    email: user.email ? user.email.toLowerCase() : '',
    phone: user.phone ?? '',
    app_metadata: user.appMetadata,
    user_metadata: user.userMetadata,
    identities: [],
    created_at: zeroTime,
    updated_at: zeroTime,
    is_anonymous: user.isAnonymous ?? false,
  };
}

/**
 * The before_user_created hook, where GoTrue calls it (sign-up by email, phone or anonymously, OTP
 * and magic-link sign-ups, invites and generated signup/invite links; not the admin API's
 * createUser): `{metadata, user}` in its own transaction before the user's, as GoTrue refuses to
 * run it inside one. An error in the output refuses the sign-up with that status (500 without one).
 */
export async function runBeforeUserCreatedHook(
  deps: { settings: AuthSettings; db: AuthDatabase },
  user: UnsavedUser,
  ip: string | undefined,
): Promise<void> {
  const hook = deps.settings.beforeUserCreatedHook;
  if (!hook) return;
  const output = await deps.db.transaction((tx) =>
    invokePostgresHook(tx, hook, { metadata: hookMetadata('before-user-created', ip), user: unsavedUserJson(user) }),
  );
  if (output !== null && (typeof output !== 'object' || Array.isArray(output))) {
    throw new AuthError(500, 'unexpected_failure', 'Error unmarshaling JSON output.');
  }
}

/** `{"error": {"http_code": 403, "message": "…"}}` from the hook becomes that HTTP error. */
function hookErrorOf(output: unknown): AuthError | undefined {
  if (!output || typeof output !== 'object' || !('error' in output)) return undefined;
  const error = (output as { error: unknown }).error;
  if (!error || typeof error !== 'object') return undefined;
  const { http_code: httpCode, message } = error as { http_code?: unknown; message?: unknown };
  if (typeof message !== 'string' || message === '') return undefined;
  const status = typeof httpCode === 'number' && httpCode > 0 ? httpCode : 500;
  return new AuthError(status as ContentfulStatusCode, status >= 500 ? 'unexpected_failure' : 'unknown', message);
}

const REQUIRED_CLAIMS = ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous'];

const CLAIM_TYPES: Record<string, Array<'string' | 'array' | 'integer' | 'object'>> = {
  aud: ['string', 'array'],
  exp: ['integer'],
  jti: ['string'],
  iat: ['integer'],
  iss: ['string'],
  nbf: ['integer'],
  sub: ['string'],
  email: ['string'],
  phone: ['string'],
  app_metadata: ['object'],
  user_metadata: ['object'],
  role: ['string'],
  aal: ['string'],
  amr: ['array'],
  session_id: ['string'],
  client_id: ['string'],
};

/** GoTrue's `MinimumViableTokenSchema` checks, with gojsonschema's wording. */
export function claimSchemaProblems(claims: unknown): string[] {
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) {
    return [`(root): Invalid type. Expected: object, given: ${jsonType(claims)}`];
  }
  const record = claims as JsonObject;
  const problems: string[] = [];
  for (const name of REQUIRED_CLAIMS) if (!(name in record)) problems.push(`(root): ${name} is required`);
  for (const [name, allowed] of Object.entries(CLAIM_TYPES)) {
    if (!(name in record)) continue;
    const actual = jsonType(record[name]);
    if (!allowed.includes(actual as 'string') && !(actual === 'integer' && allowed.includes('integer'))) {
      problems.push(`${name}: Invalid type. Expected: ${allowed.join('/')}, given: ${actual}`);
    }
  }
  const amr = record.amr;
  if (Array.isArray(amr)) {
    amr.forEach((item, index) => {
      if (typeof item !== 'string' && (typeof item !== 'object' || item === null)) {
        problems.push(`amr.${index}: Must validate at least one schema (anyOf)`);
      }
    });
  }
  return problems;
}

function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** GoTrue's message when the password verification hook rejects without one. */
const DEFAULT_PASSWORD_REJECTION = 'Further password verification attempts will be rejected.';

export interface PasswordVerificationDecision {
  reject: boolean;
  message: string;
  shouldLogoutUser: boolean;
}

/**
 * GoTrue's password verification attempt hook: told `{user_id, valid}` after every password
 * check of the password grant; `{"decision": "reject", "message", "should_logout_user"}` refuses
 * the sign-in (a right password too). It runs in its own transaction, so what it records stays
 * when the sign-in fails.
 */
export async function runPasswordVerificationHook(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  hook: HookSettings,
  input: { userId: string; valid: boolean; ip: string | undefined },
): Promise<PasswordVerificationDecision> {
  const output = await db.transaction((tx) =>
    invokePostgresHook(tx, hook, { metadata: hookMetadata('password-verification-attempt', input.ip), user_id: input.userId, valid: input.valid }),
  );
  const decision = output && typeof output === 'object' ? (output as Record<string, unknown>) : {};
  return {
    reject: decision.decision === 'reject',
    message: typeof decision.message === 'string' && decision.message ? decision.message : DEFAULT_PASSWORD_REJECTION,
    shouldLogoutUser: decision.should_logout_user === true,
  };
}
