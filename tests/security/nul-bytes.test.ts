import { describe, expect, it } from 'vitest';
import { accessToken, call, createAccount, mailbox, PASSWORD, sql, unique } from '../functions/accounts.ts';

/**
 * A NUL character (Postgres text cannot hold it) in a function's JSON body is the caller's mistake:
 * 400 in the validation style, nothing written, never a 500.
 */
const NUL_MESSAGE = 'Null characters are not allowed.';

describe('NUL characters in function bodies', { timeout: 120_000 }, () => {
  it('an escaped \\u0000 inside a string value is a 400 on that field and creates no account', async () => {
    const username = unique('nul');
    const email = mailbox('nul');
    const raw = JSON.stringify({ username: `${username}\u0000`, email, password: PASSWORD, first_name: 'A\u0000da' });
    const { status, body } = await call('register', undefined, { raw });
    expect({ status, body }).toEqual({ status: 400, body: { username: [NUL_MESSAGE], first_name: [NUL_MESSAGE] } });
    expect(await sql('select 1 from auth.users where email = $1', [email])).toEqual([]);
  });

  it('a NUL in a nested value or a key is reported at its path', async () => {
    const raw = JSON.stringify({ email: mailbox('nul'), password: PASSWORD, 'x\u0000': 1, meta: { note: ['ok', 'b\u0000d'] } });
    const { status, body } = await call('sign-in', undefined, { raw });
    expect({ status, body }).toEqual({ status: 400, body: { 'x\u0000': [NUL_MESSAGE], 'meta.note.1': [NUL_MESSAGE] } });
  });

  it.each([
    ['sign-in', () => ({ email: `a\u0000${mailbox()}`, password: PASSWORD }), 'email'],
    ['password-reset/request', () => ({ email: `${mailbox()}\u0000` }), 'email'],
    ['phone-signup/send-code', () => ({ phone_number: '+1555\u00000000000' }), 'phone_number'],
  ])('%s answers 400 on the field', async (endpoint, body, field) => {
    const reply = await call(endpoint, body());
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 400, body: { [field]: [NUL_MESSAGE] } });
  });

  it('a signed-in function answers 400 too (change-password)', async () => {
    const user = await createAccount();
    const token = await accessToken(user);
    const reply = await call('change-password', { old_password: `${user.password}\u0000`, new_password: 'Another#2024x' }, { token });
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 400, body: { old_password: [NUL_MESSAGE] } });
  });

  it('a raw NUL byte in the body is invalid JSON: 400 non_field_errors', async () => {
    const raw = new Uint8Array([...new TextEncoder().encode('{"email":"a@b.c"'), 0, ...new TextEncoder().encode('}')]);
    const { status, body } = await call('sign-in', undefined, { raw });
    expect({ status, body }).toEqual({ status: 400, body: { non_field_errors: ['Invalid JSON body.'] } });
  });
});
