/**
 * Signed URL tokens as storage-api makes them: HS256 JWTs signed with the project's JWT secret,
 * carrying the `bucket/key` they open (`url`) and what they allow (`scope`: download or upload).
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { ERRORS } from './errors.ts';

export type SignedScope = 'download' | 'upload';

export interface SignedToken {
  url: string;
  scope: SignedScope;
  exp: number;
  owner?: string;
  upsert?: boolean;
}

export class UrlSigner {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(claims: { url: string; scope: SignedScope; owner?: string; upsert?: boolean }, expiresInSeconds: number): Promise<string> {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + Math.floor(expiresInSeconds))
      .sign(this.key);
  }

  /** Signature, scope, object binding and expiry, in storage-api's order and with its errors. */
  async verify(token: string | undefined, scope: SignedScope, bucket: string, key: string): Promise<SignedToken> {
    if (!token) throw ERRORS.invalidJwt('Missing token');
    let payload: SignedToken;
    try {
      payload = (await jwtVerify(token, this.key, { algorithms: ['HS256'] })).payload as unknown as SignedToken;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw ERRORS.invalidJwt('jwt expired');
      throw ERRORS.invalidJwt((error as Error).message);
    }
    const tokenScope = payload.scope ?? (payload.owner !== undefined || payload.upsert !== undefined ? 'upload' : 'download');
    if (tokenScope !== scope) throw ERRORS.invalidSignature(`Token is not scoped for ${scope}`);
    if (payload.url !== `${bucket}/${key}`) throw ERRORS.invalidSignature();
    if (payload.exp * 1000 < Date.now()) throw ERRORS.expiredSignature();
    return payload;
  }
}
