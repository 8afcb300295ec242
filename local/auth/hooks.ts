import { randomUUID } from 'node:crypto';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Queryable } from './db.ts';
import { AuthError } from './errors.ts';
import type { CustomAccessTokenHookSettings } from './settings.ts';
import type { JsonObject } from './users.ts';

/** GoTrue's default timeout for Postgres hooks. */
const HOOK_TIMEOUT_MS = 2000;

export interface CustomAccessTokenInput {
  userId: string;
  claims: JsonObject;
  authenticationMethod: string;
  ip: string | undefined;
}

/**
 * Calls the custom access token hook (`pg-functions://…`) the way GoTrue's Postgres dispatcher
 * does — `select "schema"."fn"($1)` inside the token transaction, as supabase_auth_admin, with a
 * 2 s statement timeout — and returns the claims it answered after GoTrue's checks.
 */
export async function runCustomAccessTokenHook(
  db: Queryable,
  hook: CustomAccessTokenHookSettings,
  input: CustomAccessTokenInput,
): Promise<JsonObject> {
  const payload = {
    metadata: { uuid: randomUUID(), time: new Date().toISOString(), name: 'custom-access-token', ip_address: input.ip ?? undefined },
    user_id: input.userId,
    claims: input.claims,
    authentication_method: input.authenticationMethod,
  };

  let output: unknown;
  try {
    await db.query(`set local statement_timeout to '${HOOK_TIMEOUT_MS}'`);
    const { rows } = await db.query<{ output: unknown }>(`select ${hook.functionName}($1::jsonb) as output`, [
      JSON.stringify(payload),
    ]);
    await db.query('set local statement_timeout to default');
    output = rows[0]?.output ?? null;
  } catch (error) {
    throw new AuthError(500, 'unexpected_failure', `Error running hook URI: ${hook.uri}`, error);
  }
  if (typeof output === 'string') output = JSON.parse(output);

  const hookError = hookErrorOf(output);
  if (hookError) throw hookError;

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
