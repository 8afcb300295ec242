/**
 * The phone provider (`[auth.sms] enabled = true`), in-process (see in-process.ts) with config the
 * shared config.toml may not have: SMS codes go through the Send SMS hook (`[auth.hook.send_sms]`),
 * here a function in a schema of this test's own that writes each message into a table the test
 * reads. Sign-up with and without confirmations, verifyOtp, resend and its `max_frequency`,
 * signInWithOtp, the phone password grant, phone change, hook errors, test OTPs.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from './helpers.ts';
import { asPostgres, startAuthService, type InProcessAuth } from './in-process.ts';

const SCHEMA = 'phone_test';
const HOOK_URI = `pg-functions://postgres/${SCHEMA}/send_sms`;
/** Numbers the hook refuses with an error object, and numbers it raises on. */
const REFUSED_PREFIX = '1999';
const RAISING_PREFIX = '1998';

/** A fresh E.164 number (digits only) starting with `prefix`. */
function uniquePhone(prefix = '1555'): string {
  return prefix + String(randomInt(10_000_000)).padStart(7, '0');
}

interface SentSms {
  phone: string;
  otp: string;
  payload: { metadata: { name: string }; user: { id: string; phone: string; new_phone?: string }; sms: { otp: string; phone: string } };
}

/** Every SMS the hook was handed for `phone`, oldest first. */
async function smsTo(phone: string): Promise<SentSms[]> {
  const { rows } = await asPostgres((db) =>
    db.query<SentSms>(`select phone, otp, payload from ${SCHEMA}.sms_outbox where phone = $1 order by id`, [phone]),
  );
  return rows;
}

async function latestCode(phone: string): Promise<string> {
  const sent = await smsTo(phone);
  const last = sent.at(-1);
  if (!last) throw new Error(`no SMS to ${phone}`);
  return last.otp;
}

/** Moves the user's last confirmation SMS back in time, past `max_frequency`. */
async function ageLastSms(phone: string): Promise<void> {
  await asPostgres((db) =>
    db.query(
      `update auth.users set confirmation_sent_at = confirmation_sent_at - interval '10 minutes',
              phone_change_sent_at = phone_change_sent_at - interval '10 minutes'
        where phone = $1 or phone_change = $1`,
      [phone],
    ),
  );
}

async function usersWithPhone(phone: string): Promise<number> {
  const { rows } = await asPostgres((db) => db.query('select 1 from auth.users where phone = $1', [phone]));
  return rows.length;
}

const smsHook = { send_sms: { enabled: true, uri: HOOK_URI } };

beforeAll(async () => {
  await asPostgres((db) =>
    db.query(`
      create schema if not exists ${SCHEMA};
      create table if not exists ${SCHEMA}.sms_outbox (
        id bigint generated always as identity primary key,
        phone text not null,
        otp text not null,
        payload jsonb not null
      );
      create or replace function ${SCHEMA}.send_sms(event jsonb) returns jsonb language plpgsql as $$
      declare
        phone text := event->'sms'->>'phone';
      begin
        if phone like '${REFUSED_PREFIX}%' then
          return jsonb_build_object('error', jsonb_build_object('http_code', 403, 'message', 'Texts to this number are not allowed'));
        elsif phone like '${RAISING_PREFIX}%' then
          raise exception 'sms hook exploded';
        end if;
        insert into ${SCHEMA}.sms_outbox (phone, otp, payload) values (phone, event->'sms'->>'otp', event);
        return '{}'::jsonb;
      end
      $$;
      grant usage on schema ${SCHEMA} to supabase_auth_admin;
      grant insert, select on ${SCHEMA}.sms_outbox to supabase_auth_admin;
      grant execute on function ${SCHEMA}.send_sms(jsonb) to supabase_auth_admin;
      revoke execute on function ${SCHEMA}.send_sms(jsonb) from public, anon, authenticated;
    `),
  );
});

afterAll(async () => {
  await asPostgres((db) => db.query(`drop schema if exists ${SCHEMA} cascade`));
});

describe('auth: phone sign-up with confirmations on, SMS through the Send SMS hook', () => {
  let auth: InProcessAuth;

  beforeAll(async () => {
    auth = await startAuthService({
      sms: { enabled: true, enable_confirmations: true, max_frequency: '60s' },
      // With email confirmations on too, a repeated sign-up is answered with an obfuscated user.
      email: { enable_confirmations: true },
      hook: smsHook,
      rate_limit: { sms_sent: 1000 },
    });
  });
  afterAll(async () => auth?.close());

  it('signUp() texts a code and answers the user without a session; verifyOtp() confirms the number and signs in', async () => {
    const phone = uniquePhone();
    const supabase = auth.client();
    const { data, error } = await supabase.auth.signUp({ phone: `+${phone}`, password: PASSWORD, options: { data: { nickname: 'pat' } } });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.phone).toBe(phone);
    expect(data.user?.phone_confirmed_at).toBeUndefined();
    expect(data.user?.confirmation_sent_at).toBeTruthy();
    expect(data.user?.app_metadata).toEqual({ provider: 'phone', providers: ['phone'] });
    expect(data.user?.user_metadata).toMatchObject({ nickname: 'pat', phone_verified: false });
    expect(data.user?.identities?.[0]?.provider).toBe('phone');

    const sent = await smsTo(phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.otp).toMatch(/^\d{6}$/);
    expect(sent[0]!.payload.metadata.name).toBe('send-sms');
    expect(sent[0]!.payload.sms).toEqual({ otp: sent[0]!.otp, phone });
    expect(sent[0]!.payload.user).toMatchObject({ id: data.user!.id, phone });

    const unconfirmed = await auth.client().auth.signInWithPassword({ phone, password: PASSWORD });
    expect(unconfirmed.error?.status).toBe(400);
    expect(unconfirmed.error?.code).toBe('phone_not_confirmed');
    expect(unconfirmed.error?.message).toBe('Phone not confirmed');

    const verified = await supabase.auth.verifyOtp({ phone, token: sent[0]!.otp, type: 'sms' });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.access_token).toBeTruthy();
    expect(verified.data.user?.id).toBe(data.user!.id);
    expect(verified.data.user?.phone_confirmed_at).toBeTruthy();

    const spent = await auth.client().auth.verifyOtp({ phone, token: sent[0]!.otp, type: 'sms' });
    expect(spent.error?.code).toBe('otp_expired');
  });

  it('a wrong code is 403 otp_expired "Token has expired or is invalid"', async () => {
    const phone = uniquePhone();
    await auth.client().auth.signUp({ phone, password: PASSWORD });
    const code = await latestCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const response = await auth.request('/verify', { method: 'POST', body: { type: 'sms', phone, token: wrong } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 'otp_expired', message: 'Token has expired or is invalid' });
    expect((await auth.client().auth.verifyOtp({ phone, token: code, type: 'sms' })).error).toBeNull();
  });

  it('resend() within max_frequency is 429 over_sms_send_rate_limit; after it, the new code verifies and the old one does not', async () => {
    const phone = uniquePhone();
    await auth.client().auth.signUp({ phone, password: PASSWORD });
    const first = await latestCode(phone);

    const tooSoon = await auth.request('/resend', { method: 'POST', body: { type: 'sms', phone } });
    expect(tooSoon.status).toBe(429);
    const body = (await tooSoon.json()) as { code: string; message: string };
    expect(body.code).toBe('over_sms_send_rate_limit');
    expect(body.message).toMatch(/^For security purposes, you can only request this after (59|60) seconds\.$/);
    expect(await smsTo(phone)).toHaveLength(1);

    await ageLastSms(phone);
    const { error } = await auth.client().auth.resend({ type: 'sms', phone });
    expect(error).toBeNull();
    const second = await latestCode(phone);
    expect(await smsTo(phone)).toHaveLength(2);

    if (first !== second) {
      expect((await auth.client().auth.verifyOtp({ phone, token: first, type: 'sms' })).error?.code).toBe('otp_expired');
    }
    expect((await auth.client().auth.verifyOtp({ phone, token: second, type: 'sms' })).error).toBeNull();

    // A confirmed number is not texted again.
    await ageLastSms(phone);
    expect((await auth.client().auth.resend({ type: 'sms', phone })).error).toBeNull();
    expect(await smsTo(phone)).toHaveLength(2);
  });

  it('signInWithOtp() signs an unknown number up by SMS, then signs the confirmed user in by SMS', async () => {
    const phone = uniquePhone();
    const first = await auth.client().auth.signInWithOtp({ phone });
    expect(first.error).toBeNull();
    const signedUp = await auth.client().auth.verifyOtp({ phone, token: await latestCode(phone), type: 'sms' });
    expect(signedUp.error).toBeNull();
    expect(signedUp.data.user?.phone_confirmed_at).toBeTruthy();

    await ageLastSms(phone);
    const again = await auth.client().auth.signInWithOtp({ phone, options: { shouldCreateUser: false } });
    expect(again.error).toBeNull();
    expect(await smsTo(phone)).toHaveLength(2);
    const signedIn = await auth.client().auth.verifyOtp({ phone, token: await latestCode(phone), type: 'sms' });
    expect(signedIn.error).toBeNull();
    expect(signedIn.data.user?.id).toBe(signedUp.data.user!.id);

    const unknown = await auth.client().auth.signInWithOtp({ phone: uniquePhone(), options: { shouldCreateUser: false } });
    expect(unknown.error?.status).toBe(422);
    expect(unknown.error?.code).toBe('otp_disabled');
  });

  it('signInWithPassword({ phone }) signs a confirmed phone user in; a wrong password is invalid_credentials', async () => {
    const phone = uniquePhone();
    await auth.client().auth.signUp({ phone, password: PASSWORD });
    await auth.client().auth.verifyOtp({ phone, token: await latestCode(phone), type: 'sms' });

    const { data, error } = await auth.client().auth.signInWithPassword({ phone: `+${phone}`, password: PASSWORD });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user?.phone).toBe(phone);

    const wrong = await auth.client().auth.signInWithPassword({ phone, password: 'not-the-password' });
    expect(wrong.error?.code).toBe('invalid_credentials');
  });

  it('signing up a confirmed number again answers an obfuscated unconfirmed user and sends nothing', async () => {
    const phone = uniquePhone();
    const { data } = await auth.client().auth.signUp({ phone, password: PASSWORD });
    await auth.client().auth.verifyOtp({ phone, token: await latestCode(phone), type: 'sms' });

    const again = await auth.request('/signup', { method: 'POST', body: { phone, password: 'Another-pass-1' } });
    expect(again.status).toBe(200);
    const user = (await again.json()) as { id: string; phone: string; identities: unknown[]; phone_confirmed_at?: string };
    expect(user.id).not.toBe(data.user!.id);
    expect(user.phone).toBe(phone);
    expect(user.identities).toEqual([]);
    expect(user.phone_confirmed_at).toBeUndefined();
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it('a hook error object is answered with its http_code and message, and the sign-up is rolled back', async () => {
    const phone = uniquePhone(REFUSED_PREFIX);
    const response = await auth.request('/signup', { method: 'POST', body: { phone, password: PASSWORD } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 'unknown', message: 'Texts to this number are not allowed' });
    expect(await usersWithPhone(phone)).toBe(0);

    const otp = await auth.client().auth.signInWithOtp({ phone });
    expect(otp.error?.status).toBe(403);
    expect(otp.error?.message).toBe('Texts to this number are not allowed');
  });

  it('a hook that raises is a 500 naming the hook URI', async () => {
    const phone = uniquePhone(RAISING_PREFIX);
    const response = await auth.request('/signup', { method: 'POST', body: { phone, password: PASSWORD } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: 'unexpected_failure', message: `Error running hook URI: ${HOOK_URI}` });
    expect(await usersWithPhone(phone)).toBe(0);
  });

  it('updateUser({ phone }) texts the new number; verifyOtp({ type: "phone_change" }) moves the user to it', async () => {
    const phone = uniquePhone();
    const supabase = auth.client();
    await supabase.auth.signUp({ phone, password: PASSWORD });
    await supabase.auth.verifyOtp({ phone, token: await latestCode(phone), type: 'sms' });

    const newPhone = uniquePhone();
    const updated = await supabase.auth.updateUser({ phone: newPhone });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.phone).toBe(phone);
    expect(updated.data.user?.new_phone).toBe(newPhone);
    const [sent] = await smsTo(newPhone);
    expect(sent?.payload.user.new_phone).toBe(newPhone);

    const tooSoon = await auth.request('/resend', { method: 'POST', body: { type: 'phone_change', phone } });
    expect(tooSoon.status).toBe(429);
    await ageLastSms(newPhone);
    expect((await auth.client().auth.resend({ type: 'phone_change', phone })).error).toBeNull();
    expect(await smsTo(newPhone)).toHaveLength(2);

    const verified = await supabase.auth.verifyOtp({ phone: newPhone, token: await latestCode(newPhone), type: 'phone_change' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.phone).toBe(newPhone);
    expect(verified.data.user?.new_phone).toBeUndefined();
    expect((await auth.client().auth.signInWithPassword({ phone: newPhone, password: PASSWORD })).error).toBeNull();

    // The user's own number is no change; another user's is phone_exists.
    expect((await supabase.auth.updateUser({ phone: newPhone })).error).toBeNull();
    const other = uniquePhone();
    await auth.client().auth.signUp({ phone: other, password: PASSWORD });
    const duplicate = await supabase.auth.updateUser({ phone: other });
    expect(duplicate.error?.status).toBe(422);
    expect(duplicate.error?.code).toBe('phone_exists');
  });

  it('validates the number as GoTrue does: 400 validation_failed for a non-E.164 number', async () => {
    const response = await auth.request('/signup', { method: 'POST', body: { phone: '+0123', password: PASSWORD } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 'validation_failed', message: 'Invalid phone number format (E.164 required)' });
  });
});

describe('auth: phone sign-up with confirmations off', () => {
  let auth: InProcessAuth;

  beforeAll(async () => {
    auth = await startAuthService({
      sms: { enabled: true, enable_confirmations: false, max_frequency: '60s' },
      hook: smsHook,
      rate_limit: { sms_sent: 1000 },
    });
  });
  afterAll(async () => auth?.close());

  it('signUp() confirms the number at once and answers a session, texting nothing', async () => {
    const phone = uniquePhone();
    const { data, error } = await auth.client().auth.signUp({ phone, password: PASSWORD });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user?.phone_confirmed_at).toBeTruthy();
    expect(await smsTo(phone)).toHaveLength(0);

    const again = await auth.client().auth.signUp({ phone, password: PASSWORD });
    expect(again.error?.status).toBe(422);
    expect(again.error?.code).toBe('user_already_exists');

    expect((await auth.client().auth.signInWithPassword({ phone, password: PASSWORD })).error).toBeNull();
  });

  it('signInWithOtp() creates and confirms the user, then texts a code that signs in', async () => {
    const phone = uniquePhone();
    expect((await auth.client().auth.signInWithOtp({ phone })).error).toBeNull();
    const verified = await auth.client().auth.verifyOtp({ phone, token: await latestCode(phone), type: 'sms' });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.access_token).toBeTruthy();
  });
});

describe('auth: phone without the Send SMS hook', () => {
  const testPhone = uniquePhone();
  let auth: InProcessAuth;

  beforeAll(async () => {
    auth = await startAuthService({
      sms: { enabled: true, enable_confirmations: true, test_otp: { [testPhone]: '424242' } },
      hook: { send_sms: { enabled: false } },
    });
  });
  afterAll(async () => auth?.close());

  it('with no SMS provider either, a code cannot be sent: 500 "Unable to get SMS provider"', async () => {
    const phone = uniquePhone();
    const response = await auth.request('/signup', { method: 'POST', body: { phone, password: PASSWORD } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: 'unexpected_failure', message: 'Unable to get SMS provider' });
    expect(await usersWithPhone(phone)).toBe(0);
  });

  it('a number in [auth.sms.test_otp] takes its fixed code, sent nowhere', async () => {
    const { data, error } = await auth.client().auth.signUp({ phone: testPhone, password: PASSWORD });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    const verified = await auth.client().auth.verifyOtp({ phone: testPhone, token: '424242', type: 'sms' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.phone_confirmed_at).toBeTruthy();

    await ageLastSms(testPhone);
    const otp = await auth.request('/otp', { method: 'POST', body: { phone: testPhone } });
    expect(otp.status).toBe(200);
    expect(await otp.json()).toEqual({ message_id: 'test-otp' });
  });
});

describe('auth: phone provider disabled', () => {
  let auth: InProcessAuth;

  beforeAll(async () => {
    auth = await startAuthService({ sms: { enabled: false }, hook: smsHook });
  });
  afterAll(async () => auth?.close());

  it('answers GoTrue\'s phone_provider_disabled errors', async () => {
    const signup = await auth.request('/signup', { method: 'POST', body: { phone: uniquePhone(), password: PASSWORD } });
    expect(signup.status).toBe(400);
    expect(await signup.json()).toEqual({ code: 'phone_provider_disabled', message: 'Phone signups are disabled' });

    const otp = await auth.request('/otp', { method: 'POST', body: { phone: uniquePhone() } });
    expect(otp.status).toBe(400);
    expect(await otp.json()).toEqual({ code: 'phone_provider_disabled', message: 'Unsupported phone provider' });

    const login = await auth.request('/token?grant_type=password', { method: 'POST', body: { phone: uniquePhone(), password: PASSWORD } });
    expect(login.status).toBe(422);
    expect(await login.json()).toEqual({ code: 'phone_provider_disabled', message: 'Phone logins are disabled' });
  });
});
