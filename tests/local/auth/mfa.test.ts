import { TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { client, decodeJwt, PASSWORD, signedInUser } from './helpers.ts';

const codeFor = (secret: string) => new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate();

describe('auth: MFA (TOTP)', () => {
  it('enrols, challenges and verifies a TOTP factor, lifting the session to aal2', async () => {
    const { supabase, session } = await signedInUser('mfa');
    await supabase.auth.setSession(session);

    const before = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(before.data).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal1' });

    const enrolled = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone app' });
    expect(enrolled.error).toBeNull();
    const factor = enrolled.data!;
    expect(factor.type).toBe('totp');
    expect(factor.totp.secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(factor.totp.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(factor.totp.qr_code).toMatch(/^data:image\/svg\+xml/);
    expect(factor.totp.qr_code).toContain('<path'); // a real QR code, not an empty frame

    const wrongChallenge = await supabase.auth.mfa.challenge({ factorId: factor.id });
    const wrong = await supabase.auth.mfa.verify({ factorId: factor.id, challengeId: wrongChallenge.data!.id, code: '000000' });
    expect(wrong.error?.status).toBe(422);
    expect(wrong.error?.code).toBe('mfa_verification_failed');

    const challenge = await supabase.auth.mfa.challenge({ factorId: factor.id });
    expect(challenge.error).toBeNull();
    expect(challenge.data?.expires_at).toBeGreaterThan(Date.now() / 1000);
    const verified = await supabase.auth.mfa.verify({ factorId: factor.id, challengeId: challenge.data!.id, code: codeFor(factor.totp.secret) });
    expect(verified.error).toBeNull();
    const claims = decodeJwt(verified.data!.access_token);
    expect(claims.aal).toBe('aal2');
    expect((claims.amr as Array<{ method: string }>).map((a) => a.method)).toEqual(expect.arrayContaining(['totp', 'password']));

    const after = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(after.data).toMatchObject({ currentLevel: 'aal2', nextLevel: 'aal2' });
    const factors = await supabase.auth.mfa.listFactors();
    expect(factors.data?.totp.map((f) => f.id)).toEqual([factor.id]);
  });

  it('a new password sign-in is aal1 with nextLevel aal2; unenrolling needs aal2', async () => {
    const { supabase, session, email } = await signedInUser('mfa-next');
    await supabase.auth.setSession(session);
    const factor = (await supabase.auth.mfa.enroll({ factorType: 'totp' })).data!;
    await supabase.auth.mfa.challengeAndVerify({ factorId: factor.id, code: codeFor(factor.totp.secret) });

    const fresh = client();
    await fresh.auth.signInWithPassword({ email, password: PASSWORD });
    const level = await fresh.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(level.data).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal2' });

    const denied = await fresh.auth.mfa.unenroll({ factorId: factor.id });
    expect(denied.error?.status).toBe(422);
    expect(denied.error?.code).toBe('insufficient_aal');

    const removed = await supabase.auth.mfa.unenroll({ factorId: factor.id });
    expect(removed.error).toBeNull();
    expect((await supabase.auth.mfa.listFactors()).data?.totp).toEqual([]);
  });

  it('rejects an unknown factor: 404 mfa_factor_not_found', async () => {
    const { supabase, session } = await signedInUser('mfa-404');
    await supabase.auth.setSession(session);
    const { error } = await supabase.auth.mfa.challenge({ factorId: '00000000-0000-4000-8000-000000000000' });
    expect(error?.status).toBe(404);
    expect(error?.code).toBe('mfa_factor_not_found');
  });
});
