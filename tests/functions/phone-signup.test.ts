import { describe, expect, it } from 'vitest';
import { serviceClient } from '../helpers/clients.ts';
import { codeIn, latestSms } from '../helpers/outbox.ts';
import { call, codeRows, expectOnlyHashes, PASSWORD, phoneNumber, sql } from './accounts.ts';

/** functions/phone-signup: an SMS code (outbox provider), then an account and a session (reference API 001). */
async function sendCode(phone: string): Promise<{ token: string; code: string }> {
  const reply = await call<{ token: string; message: string }>('phone-signup/send-code', { phone_number: phone });
  expect(reply).toMatchObject({ status: 200, body: { token: expect.stringMatching(/^[0-9a-f]{64}$/), message: 'Verification code sent successfully.' } });
  const sms = await latestSms(phone);
  expect(sms).toMatch(/^Your Marquee verification code is \d{6}$/);
  return { token: reply.body.token, code: codeIn(sms!) };
}

describe('functions/phone-signup', { timeout: 90_000 }, () => {
  it('sends a code by SMS and stores only its hash and the token’s', async () => {
    const phone = phoneNumber();
    const { token, code } = await sendCode(phone);
    await expectOnlyHashes('phone_signup', phone, code);
    const rows = await codeRows('phone_signup', phone);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).not.toContain(token);
  });

  it('normalises the number and validates it', async () => {
    const phone = phoneNumber();
    const spaced = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    expect((await call('phone-signup/send-code', { phone_number: spaced })).status).toBe(200);
    expect(await latestSms(phone)).toBeDefined();
    expect((await call('phone-signup/send-code', {})).body).toEqual({ phone_number: ['Phone number is required.'] });
    expect((await call('phone-signup/send-code', { phone_number: '' })).body).toEqual({ phone_number: ['Phone number is required.'] });
    for (const bad of ['12345', '+0123456789', '+1555abc1234', "+1' or 1=1", '+1234567890123456']) {
      expect((await call('phone-signup/send-code', { phone_number: bad })).body).toEqual({ phone_number: ['Enter a valid phone number.'] });
    }
    expect((await call('phone-signup/send-code', { phone_number: 15551234567 })).body).toEqual({ phone_number: ['Not a valid string.'] });
  });

  it('refuses another code within 60 s', async () => {
    const phone = phoneNumber();
    await sendCode(phone);
    const again = await call('phone-signup/send-code', { phone_number: phone });
    expect(again).toMatchObject({ status: 429, body: { detail: 'Please wait before requesting another code.' } });
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 409 for a number that already has an account', async () => {
    const phone = phoneNumber();
    const { error } = await serviceClient().auth.admin.createUser({ phone, password: PASSWORD, phone_confirm: true });
    expect(error).toBeNull();
    expect(await call('phone-signup/send-code', { phone_number: phone })).toMatchObject({
      status: 409,
      body: { detail: 'User with this phone number already exists.' },
    });
  });

  it('maps bad tokens and codes to the reference messages', async () => {
    const phone = phoneNumber();
    const { token, code } = await sendCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const verify = (body: Record<string, unknown>) => call('phone-signup/verify', { password: PASSWORD, ...body });

    expect((await verify({ token: 'nope', code })).body).toEqual({ token: ['Invalid token.'] });
    expect((await verify({ token: 'f'.repeat(64), code })).body).toEqual({ token: ['Invalid token.'] });
    expect((await verify({ token, code: '12ab' })).body).toEqual({ code: ['Invalid or expired verification code.'] });
    expect((await verify({ token, code: wrong })).body).toEqual({ code: ['Invalid or expired verification code.'] });
    expect((await verify({})).body).toEqual({ token: ['This field is required.'], code: ['This field is required.'] });
    expect((await call('phone-signup/verify', { token, code })).body).toEqual({ password: ['This field is required.'] });
    expect((await verify({ token, code, password: 'Weakpass' })).body).toEqual({
      password: ['Password must contain at least 8 characters, including letters, numbers, and special characters.'],
    });
    expect((await verify({ token, code, confirm_password: `${PASSWORD}x` })).body).toEqual({
      confirm_password: ["The two password fields didn't match."],
    });

    await sql("update private.one_time_codes set expires_at = now() - interval '1 second' where purpose = 'phone_signup' and subject = $1", [phone]);
    expect((await verify({ token, code })).body).toEqual({ token: ['The token has expired.'] });
  });

  it('voids the code after 5 wrong tries', async () => {
    const phone = phoneNumber();
    const { token, code } = await sendCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect((await call('phone-signup/verify', { token, code: wrong, password: PASSWORD })).status).toBe(400);
    }
    expect((await call('phone-signup/verify', { token, code, password: PASSWORD })).body).toEqual({
      code: ['Invalid or expired verification code.'],
    });
    expect(await sql('select 1 from auth.users where phone = $1', [phone.slice(1)])).toEqual([]);
  });

  it('answers 409 when the number got an account after the code was sent', async () => {
    const phone = phoneNumber();
    const { token, code } = await sendCode(phone);
    await serviceClient().auth.admin.createUser({ phone, password: PASSWORD, phone_confirm: true });
    expect(await call('phone-signup/verify', { token, code, password: PASSWORD })).toMatchObject({
      status: 409,
      body: { detail: 'User with this phone number already exists.' },
    });
  });

  it('creates the account, answers a session, and spends the code', async () => {
    const phone = phoneNumber();
    const { token, code } = await sendCode(phone);
    const reply = await call('phone-signup/verify', { token, code, password: PASSWORD });
    const [account] = await sql<{ id: string; confirmed: boolean }>(
      'select id, phone_confirmed_at is not null as confirmed from auth.users where phone = $1',
      [phone.slice(1)],
    );
    expect(account).toMatchObject({ confirmed: true });
    expect(await codeRows('phone_signup', phone)).toEqual([]);
    expect(reply).toMatchObject({ status: 200, body: { access_token: expect.any(String), refresh_token: expect.any(String), user: { id: account!.id } } });
    expect((await call('phone-signup/verify', { token, code, password: PASSWORD })).body).toEqual({ token: ['Invalid token.'] });
    // The phone number signs in as a username would.
    expect((await call('sign-in', { username: phone, password: PASSWORD })).status).toBe(200);
  });
});
