import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  SignJWT,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  importJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type CryptoKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { section, type LocalConfig } from '../config/index.ts';

export type JwtClaims = JWTPayload & {
  role?: string;
  aal?: string;
  session_id?: string;
  email?: string;
  phone?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  is_anonymous?: boolean;
  [claim: string]: unknown;
};

export class JwtError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'expired' | 'signature',
  ) {
    super(message);
  }
}

export interface JwtKeys {
  /** Signs as GoTrue does: with the first asymmetric signing key when configured, else HS256. */
  sign(claims: JwtClaims): Promise<string>;
  /** Verifies signature and expiry; results are cached until the token expires. */
  verify(token: string): Promise<JwtClaims>;
  /** Public keys for `/auth/v1/.well-known/jwks.json`. */
  jwks(): JSONWebKeySet;
}

interface SigningKey {
  kid: string | undefined;
  alg: string;
  privateKey: CryptoKey | Uint8Array;
}

/**
 * Loads the JWT secret and, when `auth.signing_keys_path` is set in config.toml, the asymmetric
 * signing keys (a JSON array of private JWKs, as `supabase gen signing-key` writes them).
 */
export async function createJwtKeys(config: LocalConfig): Promise<JwtKeys> {
  const secret = new TextEncoder().encode(config.jwtSecret);
  const keysPath = section(config.toml, 'auth').signing_keys_path;
  const privateJwks: JWK[] =
    typeof keysPath === 'string' && keysPath
      ? (JSON.parse(readFileSync(path.resolve(config.supabaseDir, keysPath), 'utf8')) as JWK[])
      : [];

  const signingKeys: SigningKey[] = [];
  const publicJwks: JWK[] = [];
  for (const jwk of privateJwks) {
    const alg = jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : 'RS256');
    signingKeys.push({ kid: jwk.kid, alg, privateKey: (await importJWK(jwk, alg)) as CryptoKey });
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
    const exported = await exportJWK((await importJWK({ ...pub, ext: true }, alg)) as CryptoKey);
    publicJwks.push({ ...exported, kid: jwk.kid, alg, use: 'sig', key_ops: ['verify'] });
  }
  const localJwks = createLocalJWKSet({ keys: publicJwks });
  const cache = new LRUCache<string, JwtClaims>({ max: 10_000 });

  return {
    async sign(claims) {
      const key = signingKeys[0];
      const header = key ? { alg: key.alg, kid: key.kid, typ: 'JWT' } : { alg: 'HS256', typ: 'JWT' };
      return new SignJWT(claims).setProtectedHeader(header).sign(key ? key.privateKey : secret);
    },

    async verify(token) {
      const cached = cache.get(token);
      if (cached) {
        if (typeof cached.exp === 'number' && cached.exp * 1000 <= Date.now()) {
          cache.delete(token);
          throw new JwtError('token is expired', 'expired');
        }
        return cached;
      }
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw new JwtError('invalid JWT: unable to parse or verify signature, token is malformed', 'malformed');
      }
      try {
        const { payload } =
          alg === 'HS256'
            ? await jwtVerify(token, secret, { algorithms: ['HS256'] })
            : await jwtVerify(token, localJwks);
        cache.set(token, payload as JwtClaims);
        return payload as JwtClaims;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED') throw new JwtError('token is expired', 'expired');
        if (code === 'ERR_JWS_INVALID' || code === 'ERR_JWT_INVALID') {
          throw new JwtError('invalid JWT: unable to parse or verify signature, token is malformed', 'malformed');
        }
        throw new JwtError('invalid JWT: unable to parse or verify signature, signature is invalid', 'signature');
      }
    },

    jwks() {
      return { keys: publicJwks };
    },
  };
}

/** The bearer token of an `Authorization` header, if any. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
