import { describe, expect, it } from 'vitest';
import { codeIn, waitForMail } from '../helpers/outbox.ts';
import { accessToken, call, createAccount, expectOnlyHashes, mailbox, sql } from './accounts.ts';

/** functions/parental: a signed-in child links a parent's email with the code mailed there. */
const SUBJECT = 'Marquee parental link code';

async function child() {
  const user = await createAccount();
  return { ...user, token: await accessToken(user) };
}

async function requestOtp(token: string, parentEmail: string): Promise<string> {
  const reply = await call('parental/request-otp', { parent_email: parentEmail }, { token });
  expect(reply).toMatchObject({ status: 200, body: { message: 'OTP sent to parent email.' } });
  return codeIn(await waitForMail(parentEmail.toLowerCase(), SUBJECT));
}

describe('functions/parental', { timeout: 90_000 }, () => {
  it('links the parent after the mailed code is verified', async () => {
    const kid = await child();
    const parent = mailbox('parent');
    const code = await requestOtp(kid.token, parent.toUpperCase());
    await expectOnlyHashes('parent_link', `${kid.id}:${parent}`, code);

    const reply = await call('parental/verify-otp', { parent_email: parent, otp_code: code }, { token: kid.token });
    expect(reply).toMatchObject({ status: 200, body: { message: 'OTP verified successfully.' } });
    expect(await sql('select parent_email from public.parent_links where child_id = $1', [kid.id])).toEqual([{ parent_email: parent }]);

    expect(await call('parental/request-otp', { parent_email: parent }, { token: kid.token })).toMatchObject({
      status: 400,
      body: { non_field_errors: ['This parent email is already linked.'] },
    });
    // Single use.
    expect((await call('parental/verify-otp', { parent_email: parent, otp_code: code }, { token: kid.token })).body).toEqual({
      non_field_errors: ['Invalid OTP.'],
    });
  });

  it('refuses wrong codes, codes for another child, and voids a code after 5 wrong tries', async () => {
    const kid = await child();
    const other = await child();
    const parent = mailbox('parent');
    const code = await requestOtp(kid.token, parent);
    const wrong = code === '000000' ? '111111' : '000000';
    const INVALID = { status: 400, body: { non_field_errors: ['Invalid OTP.'] } };

    expect(await call('parental/verify-otp', { parent_email: parent, otp_code: code }, { token: other.token })).toMatchObject(INVALID);
    expect(await call('parental/verify-otp', { parent_email: mailbox('else'), otp_code: code }, { token: kid.token })).toMatchObject(INVALID);
    expect(await call('parental/verify-otp', { parent_email: parent, otp_code: 'abc' }, { token: kid.token })).toMatchObject(INVALID);
    for (let i = 0; i < 5; i++) {
      expect(await call('parental/verify-otp', { parent_email: parent, otp_code: wrong }, { token: kid.token })).toMatchObject(INVALID);
    }
    expect(await call('parental/verify-otp', { parent_email: parent, otp_code: code }, { token: kid.token })).toMatchObject(INVALID);
    expect(await sql('select 1 from public.parent_links where child_id = $1', [kid.id])).toEqual([]);
  });

  it('validates the request', async () => {
    const kid = await child();
    expect(await call('parental/request-otp', { parent_email: kid.email.toUpperCase() }, { token: kid.token })).toMatchObject({
      status: 400,
      body: { parent_email: ["Enter a parent's email address, not your own."] },
    });
    expect((await call('parental/request-otp', {}, { token: kid.token })).body).toEqual({ parent_email: ['This field is required.'] });
    expect((await call('parental/request-otp', { parent_email: 'x' }, { token: kid.token })).body).toEqual({
      parent_email: ['Enter a valid email address.'],
    });
    expect((await call('parental/verify-otp', {}, { token: kid.token })).body).toEqual({
      parent_email: ['This field is required.'],
      otp_code: ['This field is required.'],
    });
  });

  it('refuses another code within 60 s', async () => {
    const kid = await child();
    const parent = mailbox('parent');
    await requestOtp(kid.token, parent);
    const again = await call('parental/request-otp', { parent_email: parent }, { token: kid.token });
    expect(again).toMatchObject({ status: 429, body: { detail: 'Please wait before requesting another code.' } });
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('needs a signed-in user', async () => {
    for (const path of ['parental/request-otp', 'parental/verify-otp']) {
      expect(await call(path, { parent_email: mailbox(), otp_code: '123456' })).toMatchObject({
        status: 401,
        body: { detail: 'Authentication credentials were not provided.' },
      });
    }
  });
});
