import { Hono } from 'hono';
import { audit } from '../audit.ts';
import { badRequest, forbidden, internal, notFound, unprocessable, validationFailed } from '../errors.ts';
import {
  createChallenge,
  deleteExpiredUnverifiedFactors,
  downgradeSessionsOfFactor,
  findChallenge,
  insertFactor,
  newTotp,
  verifyTotp,
} from '../mfa.ts';
import { sendNotice } from '../mail.ts';
import { clientInfo, readJsonBody, requireUser, stringParam, type AuthContext, type AuthDeps, type AuthEnv } from '../request.ts';
import {
  addAmrClaim,
  deleteSessionsBelowAal2,
  findActiveRefreshToken,
  sessionAssurance,
  setSessionAal,
  swapRefreshToken,
} from '../sessions.ts';
import { generateAccessToken, tokenResponseJson } from '../tokens.ts';
import { findUserById, isUuid, type FactorRow } from '../users.ts';

/** MFA (TOTP): enrol, challenge, verify, unenrol — GoTrue's `/factors` API. */
export function factorRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings, db } = deps;
  const mailDeps = { ...deps, emailLimiter: deps.limits.emailSent };
  app.use('/factors', requireUser(deps));
  app.use('/factors/*', requireUser(deps));
  app.use('/factors', notAnonymous);
  app.use('/factors/*', notAnonymous);

  const loadFactor = (c: AuthContext): FactorRow => {
    const id = c.req.param('factor_id') ?? '';
    if (!isUuid(id)) throw notFound('validation_failed', 'factor_id must be an UUID');
    const factor = c.get('user').factors.find((f) => f.id === id);
    if (!factor) throw notFound('mfa_factor_not_found', 'Factor not found');
    return factor;
  };

  app.post('/factors', async (c) => {
    const body = await readJsonBody(c);
    const factorType = stringParam(body, 'factor_type');
    if (factorType === 'phone') throw unprocessable('mfa_phone_enroll_not_enabled', 'MFA enroll is disabled for Phone');
    if (factorType === 'webauthn') throw unprocessable('mfa_web_authn_enroll_not_enabled', 'MFA enroll is disabled for WebAuthn');
    if (factorType !== 'totp') throw validationFailed('factor_type needs to be totp, phone, or webauthn');
    if (!settings.mfa.totpEnrollEnabled) throw unprocessable('mfa_totp_enroll_not_enabled', 'MFA enroll is disabled for TOTP');

    const user = c.get('user');
    const session = c.get('session');
    const friendlyName = stringParam(body, 'friendly_name');
    await deleteExpiredUnverifiedFactors(db.pool, user.id);
    const factors = (await findUserById(db.pool, user.id))!.factors;
    if (factors.some((f) => (f.friendly_name ?? '') === friendlyName)) {
      throw unprocessable('mfa_factor_name_conflict', `A factor with the friendly name "${friendlyName}" for this user already exists`);
    }
    const verified = factors.filter((f) => f.status === 'verified').length;
    if (factors.length >= settings.mfa.maxEnrolledFactors || verified >= settings.mfa.maxVerifiedFactors) {
      throw unprocessable('too_many_enrolled_mfa_factors', 'Maximum number of verified factors reached, unenroll to continue');
    }
    if (verified > 0 && session && session.aal !== 'aal2') throw forbidden('insufficient_aal', 'AAL2 required to enroll a new factor');

    const issuer = stringParam(body, 'issuer') || new URL(settings.siteUrl).host;
    const totp = await newTotp(issuer, user.email ?? '');
    const id = await db.transaction(async (tx) => {
      const factorId = await insertFactor(tx, user.id, friendlyName, totp.secret);
      await audit(tx, user.id, user.email, 'factor_in_progress', { factor_id: factorId }, clientInfo(c).ip);
      return factorId;
    });
    return c.json({ id, type: 'totp', friendly_name: friendlyName, totp: { qr_code: totp.qrCode, secret: totp.secret, uri: totp.uri } });
  });

  app.post('/factors/:factor_id/challenge', async (c) => {
    const factor = loadFactor(c);
    if (factor.factor_type !== 'totp') throw validationFailed('factor_type needs to be totp, phone, or webauthn');
    if (!settings.mfa.totpVerifyEnabled) throw unprocessable('mfa_totp_verify_not_enabled', 'MFA verification is disabled for TOTP');
    const user = c.get('user');
    const challenge = await db.transaction(async (tx) => {
      const created = await createChallenge(tx, factor, clientInfo(c).ip ?? '127.0.0.1');
      await audit(tx, user.id, user.email, 'challenge_created', { factor_id: factor.id, factor_status: factor.status }, clientInfo(c).ip);
      return created;
    });
    return c.json({
      id: challenge.id,
      type: 'totp',
      expires_at: Math.floor(challenge.created_at.getTime() / 1000) + settings.mfa.challengeExpirySeconds,
    });
  });

  app.post('/factors/:factor_id/verify', async (c) => {
    const factor = loadFactor(c);
    const body = await readJsonBody(c);
    const code = stringParam(body, 'code');
    const challengeId = stringParam(body, 'challenge_id');
    if (!settings.mfa.totpVerifyEnabled) throw unprocessable('mfa_totp_verify_not_enabled', 'MFA verification is disabled for TOTP');
    if (!isUuid(challengeId)) throw badRequest('validation_failed', 'challenge_id must be an UUID');
    const challenge = await findChallenge(db.pool, factor.id, challengeId);
    if (!challenge) throw unprocessable('mfa_factor_not_found', 'MFA factor with the provided challenge ID not found');
    const ip = clientInfo(c).ip ?? '127.0.0.1';
    if (challenge.ip_address !== ip.replace(/^::ffff:/, '') && challenge.ip_address !== ip) {
      throw unprocessable('mfa_ip_address_mismatch', 'Challenge and verify IP addresses mismatch.');
    }
    if (challenge.created_at.getTime() + settings.mfa.challengeExpirySeconds * 1000 < Date.now()) {
      await db.pool.query('delete from auth.mfa_challenges where id = $1', [challenge.id]);
      throw unprocessable(
        'mfa_challenge_expired',
        `MFA challenge ${challenge.id} has expired, verify against another challenge or create a new challenge.`,
      );
    }
    if (!code) throw validationFailed('Code needs to be non-empty');
    if (!verifyTotp(factor.secret ?? '', code)) throw unprocessable('mfa_verification_failed', 'Invalid TOTP code entered');

    const session = c.get('session');
    if (!session) throw internal('Cannot read SessionId claim as UUID');
    const client = clientInfo(c);
    const response = await db.transaction(async (tx) => {
      const user = c.get('user');
      await audit(tx, user.id, user.email, 'verification_attempted', { factor_id: factor.id, challenge_id: challenge.id, factor_type: 'totp' }, client.ip);
      await tx.query('update auth.mfa_challenges set verified_at = now() where id = $1', [challenge.id]);
      if (factor.status !== 'verified') {
        await tx.query(`update auth.mfa_factors set status = 'verified', updated_at = now() where id = $1`, [factor.id]);
      }
      await addAmrClaim(tx, session.id, 'totp');
      const current = await findActiveRefreshToken(tx, session.id);
      if (!current) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      const refreshToken = await swapRefreshToken(tx, current);
      const { aal } = await sessionAssurance(tx, session.id);
      await setSessionAal(tx, session.id, aal, factor.id);
      const fresh = (await findUserById(tx, user.id))!;
      const accessToken = await generateAccessToken(tx, deps, fresh, session.id, 'totp', client);
      await deleteSessionsBelowAal2(tx, user.id);
      await tx.query(`delete from auth.mfa_factors where user_id = $1 and factor_type = 'totp' and status = 'unverified'`, [user.id]);
      return tokenResponseJson({ accessToken, refreshToken, user: (await findUserById(tx, user.id))! });
    });
    const user = c.get('user');
    if (factor.status !== 'verified' && user.email) {
      await sendNotice(mailDeps, 'mfa_factor_enrolled', user.email, { email: user.email, factorType: factor.factor_type });
    }
    return c.json(response);
  });

  app.delete('/factors/:factor_id', async (c) => {
    const factor = loadFactor(c);
    const session = c.get('session');
    const user = c.get('user');
    if (!session) throw internal('A valid session and factor are required to unenroll a factor');
    if (factor.status === 'verified' && session.aal !== 'aal2') {
      throw unprocessable('insufficient_aal', 'AAL2 required to unenroll verified factor');
    }
    await db.transaction(async (tx) => {
      await tx.query('delete from auth.mfa_factors where id = $1', [factor.id]);
      await audit(tx, user.id, user.email, 'factor_unenrolled', { factor_id: factor.id, factor_status: factor.status, session_id: session.id }, clientInfo(c).ip);
      await downgradeSessionsOfFactor(tx, factor);
    });
    if (user.email) await sendNotice(mailDeps, 'mfa_factor_unenrolled', user.email, { email: user.email, factorType: factor.factor_type });
    return c.json({ id: factor.id });
  });

  return app;
}

async function notAnonymous(c: AuthContext, next: () => Promise<void>): Promise<void> {
  if (c.get('claims').is_anonymous === true) {
    throw forbidden('no_authorization', 'Anonymous user not allowed to perform these actions');
  }
  await next();
}
