import type { JwtKeys } from '../shared/jwt.ts';
import type { Queryable } from './db.ts';
import { runCustomAccessTokenHook } from './hooks.ts';
import { addAmrClaim, createSession, sessionAssurance, type ClientInfo } from './sessions.ts';
import type { AuthSettings } from './settings.ts';
import { updateLastSignIn } from './user-writes.ts';
import { findUserById, userJson, type JsonObject, type User } from './users.ts';
import { internal } from './errors.ts';

export interface TokenDeps {
  settings: AuthSettings;
  jwt: JwtKeys;
}

export interface AccessToken {
  token: string;
  expiresAt: number;
}

/**
 * GoTrue's `GenerateAccessToken`: the claims of the user and session, passed through the custom
 * access token hook when enabled, signed by the project's current key.
 */
export async function generateAccessToken(
  db: Queryable,
  deps: TokenDeps,
  user: User,
  sessionId: string,
  authenticationMethod: string,
  client: ClientInfo,
): Promise<AccessToken> {
  const { aal, amr } = await sessionAssurance(db, sessionId);
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + deps.settings.jwtExpirySeconds;
  const claims: JsonObject = {
    iss: deps.settings.jwtIssuer,
    sub: user.id,
    aud: user.aud,
    exp: expiresAt,
    iat: issuedAt,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? '',
    aal,
    amr,
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  };

  const hook = deps.settings.customAccessTokenHook;
  const finalClaims = hook
    ? await runCustomAccessTokenHook(db, hook, { userId: user.id, claims, authenticationMethod, ip: client.ip })
    : claims;
  return { token: await deps.jwt.sign(finalClaims), expiresAt };
}

export interface TokenResponseInput {
  accessToken: AccessToken;
  refreshToken: string;
  user: User;
}

/** The body GoTrue answers for every grant (`AccessTokenResponse`). */
export function tokenResponseJson({ accessToken, refreshToken, user }: TokenResponseInput, extra: JsonObject = {}): JsonObject {
  return {
    access_token: accessToken.token,
    token_type: 'bearer',
    expires_in: accessToken.expiresAt - Math.floor(Date.now() / 1000),
    expires_at: accessToken.expiresAt,
    refresh_token: refreshToken,
    user: userJson(user),
    ...extra,
  };
}

/**
 * GoTrue's `IssueRefreshToken`: a new session for the user, its first refresh token, the AMR
 * claim for how the user authenticated, and an access token. Runs inside the caller's transaction.
 */
export async function issueSession(
  db: Queryable,
  deps: TokenDeps,
  userId: string,
  authenticationMethod: string,
  client: ClientInfo,
): Promise<JsonObject> {
  // GoTrue's GrantAuthenticatedUser: a new session, and the user's last sign-in.
  const { sessionId, refreshToken } = await createSession(db, userId, client);
  await updateLastSignIn(db, userId);
  await addAmrClaim(db, sessionId, authenticationMethod);
  const user = await findUserById(db, userId);
  if (!user) throw internal('Database error granting user');
  const accessToken = await generateAccessToken(db, deps, user, sessionId, authenticationMethod, client);
  return tokenResponseJson({ accessToken, refreshToken, user });
}
