/**
 * Supabase Auth's own phone sign-up on the project's config ([auth.sms] on, with confirmations,
 * texts through the send-SMS hook into private.sms_outbox): a client that skips the phone-signup
 * function still has to prove the number, and gets the same profile and claims.
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { latestSms } from '../helpers/outbox.ts';
import { decodeJwt } from '../local/auth/helpers.ts';

let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => db?.end());

describe('supabase.auth.signUp with a phone number', () => {
  it('texts a code to the outbox; only the code signs in; the account gets a profile', async () => {
    const phone = `+1555${randomInt(1_000_000, 9_999_999)}`;
    const supabase = anonClient({ headers: { 'X-Forwarded-For': `10.9.${randomInt(0, 255)}.${randomInt(1, 254)}` } });
    const { data, error } = await supabase.auth.signUp({ phone, password: 'Phone-auth-2026!' });
    expect(error).toBeNull();
    expect(data.session).toBeNull();

    const code = /Your Marquee code is (\d{6})/.exec((await latestSms(phone)) ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);

    const refused = await supabase.auth.signInWithPassword({ phone, password: 'Phone-auth-2026!' });
    expect(refused.error?.code).toBe('phone_not_confirmed');

    const verified = await supabase.auth.verifyOtp({ phone, token: code!, type: 'sms' });
    expect(verified.error).toBeNull();
    expect(decodeJwt(verified.data.session!.access_token)).toMatchObject({ user_role: 'visitor', account_status: 'active' });
    const profile = await db.query('select username::text from public.profiles where id = $1', [verified.data.user!.id]);
    expect(profile.rows[0]?.username).toMatch(/^user_[0-9a-f]{12}$/);

    // The product's phone signup now refuses the number.
    const taken = await fetch(`${stackEnv().url}/functions/v1/phone-signup/send-code`, {
      method: 'POST',
      headers: { apikey: stackEnv().anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone_number: phone }),
    });
    expect({ status: taken.status, body: await taken.json() }).toEqual({ status: 409, body: { detail: 'User with this phone number already exists.' } });
  });
});
